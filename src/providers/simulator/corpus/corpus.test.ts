import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario, ScenarioText, Slot } from '../corpus-types.js';
import { fallbackScenario, scenarios } from './index.js';

const PLACEHOLDERS = new Set(['question', 'weekday', 'date', 'time', 'previous', 'turns']);
const FENCE = /```/g;

/** The rule from corpus-types.ts: most matching patterns wins, ties go to the earlier scenario. */
function route(question: string, corpus: readonly Scenario[] = scenarios): string {
  const text = question.toLowerCase();
  let best: Scenario | undefined;
  let bestScore = 0;
  for (const s of corpus) {
    const score = s.match.filter((re) => re.test(text)).length;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best?.id ?? fallbackScenario.id;
}

function fenceCount(s: string): number {
  return s.match(FENCE)?.length ?? 0;
}

/** Every text a scenario can produce: zh, en and the follow-up pair if present. */
function textsOf(s: Scenario): [string, ScenarioText][] {
  const out: [string, ScenarioText][] = [[`${s.id}.zh`, s.zh], [`${s.id}.en`, s.en]];
  if (s.followUp) out.push([`${s.id}.followUp.zh`, s.followUp.zh], [`${s.id}.followUp.en`, s.followUp.en]);
  return out;
}

/** Fence problems that hold whichever alternative is picked in each slot. */
function fenceProblems(where: string, slots: readonly Slot[]): string[] {
  const problems: string[] = [];
  let total = 0;
  slots.forEach((slot, i) => {
    const counts = slot.map(fenceCount);
    if (new Set(counts).size > 1) problems.push(`${where} slot ${i}: alternatives open/close different numbers of fences (${counts.join(', ')})`);
    total += counts[0] ?? 0;
  });
  if (total % 2 !== 0) problems.push(`${where}: ${total} fences in total, one is left open`);
  // With equal counts per slot the open/closed state is the same for every combination, so
  // swapping in one alternative at a time reaches every opening fence that can occur.
  slots.forEach((slot, i) => {
    slot.forEach((alt) => {
      const text = slots.map((s, j) => (j === i ? alt : s[0] ?? '')).join('');
      const fences = [...text.matchAll(/```([^\n]*)/g)];
      fences.forEach((m, k) => {
        if (k % 2 === 0 && !/^[a-z]+$/.test(m[1] ?? '')) problems.push(`${where}: opening fence without a language tag`);
        if (k % 2 === 1 && m[1] !== '') problems.push(`${where}: closing fence followed by "${m[1]}"`);
      });
    });
  });
  return problems;
}

/** Everything wrong with one text; empty when it is fine. */
function textProblems(where: string, t: ScenarioText): string[] {
  const problems: string[] = [];
  if (t.thinking.length < 4 || t.thinking.length > 8) problems.push(`${where}: ${t.thinking.length} thinking slots, want 4–8`);
  if (t.answer.length < 3 || t.answer.length > 10) problems.push(`${where}: ${t.answer.length} answer slots, want 3–10`);
  for (const [part, slots] of [['thinking', t.thinking], ['answer', t.answer]] as const) {
    slots.forEach((slot, i) => {
      const max = 3;
      const min = part === 'thinking' ? 2 : 1;
      if (slot.length < min || slot.length > max) problems.push(`${where} ${part} slot ${i}: ${slot.length} alternatives, want ${min}–${max}`);
      slot.forEach((alt, k) => {
        if (alt.trim() === '') problems.push(`${where} ${part} slot ${i} alt ${k}: empty`);
        for (const m of alt.matchAll(/\{([a-z_]+)\}/g)) {
          if (!PLACEHOLDERS.has(m[1] ?? '')) problems.push(`${where} ${part} slot ${i}: unknown placeholder {${m[1]}}`);
        }
      });
    });
  }
  for (const alt of t.thinking[0] ?? []) if (!alt.startsWith('\n') || alt.startsWith('\n\n')) problems.push(`${where}: thinking must start with one \\n`);
  for (const alt of t.thinking.at(-1) ?? []) if (!alt.endsWith('\n')) problems.push(`${where}: thinking must end with \\n`);
  for (const alt of t.answer[0] ?? []) if (!alt.startsWith('\n\n')) problems.push(`${where}: answer must start with \\n\\n`);
  if (t.thinking.some((slot) => slot.some((alt) => fenceCount(alt) > 0))) problems.push(`${where}: code fence inside thinking`);
  problems.push(...fenceProblems(`${where} answer`, t.answer));
  return problems;
}

function patternProblems(s: Scenario): string[] {
  const problems: string[] = [];
  if (s.match.length === 0) problems.push(`${s.id}: no patterns`);
  for (const re of s.match) {
    if (re.test('')) problems.push(`${s.id}: ${re} matches the empty string`);
    if (re.global || re.sticky) problems.push(`${s.id}: ${re} is stateful (g/y flag)`);
    // Escapes such as \S or \W are upper-case on purpose; any other capital can never match lower-cased input.
    if (/[A-Z]/.test(re.source.replace(/\\[A-Za-z]/g, ''))) problems.push(`${s.id}: ${re} has upper-case letters`);
  }
  return problems;
}

const all = [...scenarios, fallbackScenario];
const joined = (slots: readonly Slot[]): string => slots.map((s) => s.join('')).join('');
const corpusText = all.flatMap((s) => textsOf(s)).map(([, t]) => joined(t.answer)).join('\n');

describe('simulator corpus', () => {
  it('has at least 32 scenarios with unique ids', () => {
    assert.ok(scenarios.length >= 32, `only ${scenarios.length} scenarios`);
    const ids = all.map((s) => s.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  it('has well-formed zh, en and follow-up texts', () => {
    assert.deepEqual(all.flatMap((s) => textsOf(s).flatMap(([where, t]) => textProblems(where, t))), []);
  });

  it('has specific, lower-case patterns and a fallback without any', () => {
    assert.deepEqual(scenarios.flatMap(patternProblems), []);
    assert.equal(fallbackScenario.match.length, 0);
    assert.ok(!scenarios.includes(fallbackScenario));
  });

  it('has follow-ups on at least 4 scenarios, each using {previous}', () => {
    const withFollowUp = all.filter((s) => s.followUp);
    assert.ok(withFollowUp.length >= 4, `only ${withFollowUp.length} follow-ups`);
    for (const s of withFollowUp) {
      for (const t of [s.followUp!.zh, s.followUp!.en]) {
        assert.ok(JSON.stringify(t).includes('{previous}'), `${s.id} follow-up never mentions {previous}`);
      }
    }
  });

  it('says the weekday and date only through placeholders', () => {
    const weekday = scenarios.find((s) => s.id === 'weekday');
    assert.ok(weekday);
    for (const t of [weekday.zh, weekday.en]) {
      const text = JSON.stringify(t).toLowerCase();
      assert.match(text, /\{weekday\}/);
      assert.match(text, /\{date\}/);
      assert.doesNotMatch(text, /monday|tuesday|wednesday|thursday|friday|saturday|sunday|星期[一二三四五六日天]|周[一二三四五六日]|\d{4}-\d{2}-\d{2}/);
    }
  });

  it('uses {question} in the fallback and in some thinking', () => {
    assert.match(JSON.stringify(fallbackScenario.zh), /\{question\}/);
    assert.match(JSON.stringify(fallbackScenario.en), /\{question\}/);
    assert.ok(scenarios.filter((s) => JSON.stringify(s.en.thinking).includes('{question}')).length >= 10);
  });

  it('exercises a Markdown renderer', () => {
    for (const lang of ['python', 'javascript', 'sql', 'bash']) assert.ok(corpusText.includes('```' + lang + '\n'), `no ${lang} block`);
    assert.match(corpusText, /\n\| --- \|/, 'no table');
    assert.match(corpusText, /\n> \S/, 'no blockquote');
    assert.match(corpusText, /\n {2,3}(- |\d+\. )/, 'no nested list');
    assert.match(corpusText, /\n#{1,3} /, 'no heading');
  });

  it('has a long essay in both languages, whichever alternatives are picked', () => {
    const essay = scenarios.find((s) => s.id === 'essay');
    assert.ok(essay);
    const shortest = (t: ScenarioText, size: (s: string) => number): number =>
      t.answer.reduce((sum, slot) => sum + Math.min(...slot.map(size)), 0);
    const words = shortest(essay.en, (s) => s.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length);
    const hanzi = shortest(essay.zh, (s) => s.match(/[\u4e00-\u9fff]/g)?.length ?? 0);
    assert.ok(words >= 600, `en essay has only ${words} words`);
    assert.ok(hanzi >= 600, `zh essay has only ${hanzi} characters`);
  });

  const routes: [string, string][] = [
    ['你好', 'greeting'],
    ['hello', 'greeting'],
    ['Hi there!', 'greeting'],
    ['介绍一下北京', 'beijing'],
    ['Tell me about Beijing', 'beijing'],
    ['上海有什么好玩的', 'shanghai'],
    ['tell me about Shanghai', 'shanghai'],
    ['今天星期几', 'weekday'],
    ['What day is it today?', 'weekday'],
    ['用 Python 写一个快速排序', 'sorting'],
    ['write a quick sort in python', 'sorting'],
    ['写一个待办事项应用', 'todo-app'],
    ['build a todo list app', 'todo-app'],
    ['Python 列表推导式怎么用', 'python-comprehension'],
    ['how do list comprehensions work in python', 'python-comprehension'],
    ['python 怎么逐行读取文件', 'python-read-file'],
    ['how to read a file line by line in python', 'python-read-file'],
    ['Python 装饰器是什么', 'python-decorator'],
    ['explain python decorators', 'python-decorator'],
    ['明天天气怎么样，要带伞吗', 'weather'],
    ["what's the weather like tomorrow, will it rain?", 'weather'],
    ['帮我做一个杭州三日游计划', 'travel-plan'],
    ['plan a 3-day trip to Tokyo', 'travel-plan'],
    ['番茄炒蛋怎么做', 'recipe'],
    ['tomato and egg stir fry recipe', 'recipe'],
    ['把这句话翻译成英文', 'translation'],
    ['translate this sentence into Chinese', 'translation'],
    ['解方程 x^2-5x+6=0', 'math-equation'],
    ['solve the equation x^2 - 5x + 6 = 0', 'math-equation'],
    ['什么是递归', 'recursion'],
    ['what is recursion?', 'recursion'],
    ['HTTP 状态码有哪些', 'http'],
    ['explain HTTP status codes', 'http'],
    ['机器学习是什么，监督学习和无监督学习有什么区别', 'machine-learning'],
    ['what is machine learning', 'machine-learning'],
    ['区块链的原理是什么', 'blockchain'],
    ['how does blockchain work', 'blockchain'],
    ['JavaScript 的 Promise 怎么用', 'js-promise'],
    ['how do promises work in javascript', 'js-promise'],
    ['写一个 SQL 查询，统计每个用户的订单数', 'sql'],
    ['write a sql query with group by', 'sql'],
    ['git 怎么撤销提交', 'git'],
    ['how do I undo a commit in git', 'git'],
    ['Docker 怎么入门', 'docker'],
    ['docker basics for beginners', 'docker'],
    ['写一首关于秋天的诗', 'poem'],
    ['write a poem about the sea', 'poem'],
    ['讲个笑话', 'joke'],
    ['tell me a joke', 'joke'],
    ['讲一个睡前故事', 'story'],
    ['tell me a bedtime story', 'story'],
    ['经常失眠怎么办', 'sleep'],
    ['tips to sleep better', 'sleep'],
    ['有什么提高学习效率的方法', 'study-tips'],
    ['study tips for exams', 'study-tips'],
    ['如何做好时间管理', 'time-management'],
    ['time management tips', 'time-management'],
    ['Python 和 JavaScript 哪个好', 'compare-python-js'],
    ['Python vs JavaScript: which should I learn?', 'compare-python-js'],
    ['总结一下这篇文章', 'summarise'],
    ['summarize the following text', 'summarise'],
    ['帮我写一封请假邮件', 'email'],
    ['write an email to my manager', 'email'],
    ['面试有什么技巧', 'interview-tips'],
    ['interview tips for a software engineer job', 'interview-tips'],
    ['正则表达式怎么匹配邮箱', 'regex'],
    ['regex to validate an email address', 'regex'],
    ['对比一下手机套餐', 'phone-plans'],
    ['compare phone plans in a table', 'phone-plans'],
    ['写一篇关于读书的作文，800字', 'essay'],
    ['write a 600 word essay about reading', 'essay'],
    ['谢谢，再见', 'thanks-goodbye'],
    ['thanks, bye!', 'thanks-goodbye'],
    // Generic words alone must not pull a question into a scenario.
    ['人生的意义是什么', 'fallback'],
    ['帮我看看这个怎么做', 'fallback'],
    ['how are you?', 'fallback'],
    ['give me some tips', 'fallback'],
    ['which one is better?', 'fallback'],
    ['make a plan for the week', 'fallback'],
  ];

  for (const [question, id] of routes) {
    it(`routes ${JSON.stringify(question)} to ${id}`, () => {
      assert.equal(route(question), id);
    });
  }
});

describe('corpus checks catch broken data', () => {
  const good = scenarios[0]!;
  const broken = (answer: Slot[]): ScenarioText => ({ thinking: good.en.thinking, answer });

  it('reports an unbalanced fence, an uneven slot, an empty alternative and an unknown placeholder', () => {
    assert.notDeepEqual(textProblems('x', broken([['\n\n```python\nprint(1)\n'], ['a'], ['b']])), []);
    assert.notDeepEqual(textProblems('x', broken([['\n\nhi'], ['```js\n1\n```', 'plain'], ['b']])), []);
    assert.notDeepEqual(textProblems('x', broken([['\n\nhi'], [''], ['b']])), []);
    assert.notDeepEqual(textProblems('x', broken([['\n\nhi {name}'], ['a'], ['b']])), []);
    assert.notDeepEqual(textProblems('x', broken([['\n\n```\nno tag\n```'], ['a'], ['b']])), []);
    assert.notDeepEqual(textProblems('x', { thinking: good.en.thinking.slice(0, 3), answer: good.en.answer }), []);
  });

  it('reports catch-all and upper-case patterns, and routes by count then order', () => {
    assert.notDeepEqual(patternProblems({ ...good, match: [/.*/] }), []);
    assert.notDeepEqual(patternProblems({ ...good, match: [/Beijing/] }), []);
    const a: Scenario = { ...good, id: 'a', match: [/x/] };
    const b: Scenario = { ...good, id: 'b', match: [/x/, /y/] };
    assert.equal(route('x y', [a, b]), 'b');
    assert.equal(route('x', [a, b]), 'a');
    assert.equal(route('z', [a, b]), fallbackScenario.id);
  });
});
