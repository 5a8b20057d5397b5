import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const promiseCode = fence('javascript', String.raw`
function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function fetchUser(id) {
  const res = await fetch('https://jsonplaceholder.typicode.com/users/' + id);
  if (!res.ok) throw new Error('HTTP ' + res.status);
  return res.json();
}

// 1. then / catch
fetchUser(1)
  .then((user) => console.log(user.name))
  .catch((err) => console.error('failed:', err.message));

// 2. async / await, with two requests running in parallel
async function main() {
  try {
    await wait(500);
    const users = await Promise.all([fetchUser(1), fetchUser(2)]);
    console.log(users.map((u) => u.name));
  } catch (err) {
    console.error('failed:', err.message);
  }
}

main();
`);

const regexCode = fence('javascript', String.raw`
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CN_MOBILE = /^1[3-9]\d{9}$/;

console.log(EMAIL.test('alice@example.com')); // true
console.log(EMAIL.test('alice@example'));     // false
console.log(CN_MOBILE.test('13812345678'));   // true
console.log(CN_MOBILE.test('12345678901'));   // false
`);

const regexPython = fence('python', String.raw`
import re

EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
print(bool(EMAIL.match("alice@example.com")))  # True
`);

/** "JavaScript 的 Promise 是什么" / "how do promises work in javascript". */
export const jsPromise: Scenario = {
  id: 'js-promise',
  match: [/promise/, /promise\.all|async\/await|\.then|then\(|回调地狱|callback hell|resolve|reject/, /(javascript|\bjs\b).*(异步|async)|(异步|async).*(javascript|\bjs\b)/],
  zh: {
    thinking: [
      ['\n用户问 JavaScript 的 Promise：“{question}”。', '\n嗯，用户想搞懂 Promise 和异步。'],
      ['先讲概念：Promise 代表一个“将来才会有结果”的值，有三种状态：pending、fulfilled、rejected，状态一旦改变就不会再变。', 'Promise 是对异步结果的封装，三个状态 pending / fulfilled / rejected，而且只能变化一次。'],
      ['然后讲两种写法：.then/.catch 链式调用，和 async/await。async/await 其实是 Promise 的语法糖。', '用法上对比 then 链和 async/await，后者读起来像同步代码。'],
      ['等等，Promise.all 也很重要，并行请求时很常用；还要提醒一个坑：在循环里逐个 await 会变成串行。', '还要提 Promise.all 并行执行，以及 fetch 在 404 时并不会 reject，要自己检查 res.ok。'],
      ['写一个 fetch 的例子，最后列要点。\n', '代码示例 + 一张状态说明，差不多了。\n'],
    ],
    answer: [
      ['\n\n## JavaScript Promise 详解\n\n', '\n\n## 理解 Promise 和 async/await\n\n'],
      [
        '**Promise** 表示一个异步操作最终的结果。它有三种状态：\n\n1. **pending**：进行中\n2. **fulfilled**：已成功，有结果值\n3. **rejected**：已失败，有错误原因\n\n状态只能从 pending 变成另外两种之一，并且**只变一次**。\n\n',
        '**Promise** 是“未来的值”的占位符，有三种状态：\n\n1. **pending**（等待中）\n2. **fulfilled**（成功）\n3. **rejected**（失败）\n\n一旦 settle（成功或失败），状态就**不可再变**。\n\n',
      ],
      ['### 示例\n\n' + promiseCode + '\n\n'],
      [
        '### 要点\n\n- `async` 函数总是返回 Promise；`await` 会暂停函数直到 Promise 完成\n- `Promise.all` **并行**执行，任意一个失败就整体失败；想要全部结果用 `Promise.allSettled`\n- `fetch` 遇到 404/500 **不会** reject，需要自己检查 `res.ok`\n- 在 `for` 循环里逐个 `await` 是**串行**的，彼此独立的请求应放进 `Promise.all`\n',
        '### 常见坑\n\n- 忘记 `return` Promise，导致 `.then` 链断开\n- 没有 `.catch` 或 `try/catch`，出现未处理的 rejection\n- `fetch` 对 HTTP 错误状态不会 reject，要检查 `res.ok`\n- 独立的请求别一个个 `await`，用 `Promise.all` 并行更快\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about JavaScript promises: "{question}". ', '\nOkay, they want to understand Promises and async code. '],
      ['Concept first: a Promise stands for a value that will be available later. Three states — pending, fulfilled, rejected — and it settles only once. ', 'A Promise wraps an async result: pending, fulfilled or rejected, and the state changes only once. '],
      ['Then the two styles: .then/.catch chains and async/await, which is syntax sugar over promises. ', 'Compare then-chains with async/await; the latter reads like synchronous code. '],
      ['Wait, Promise.all matters too for parallel requests, and there is a classic pitfall: awaiting inside a loop runs things one by one. ', "Also Promise.all for parallelism, and the gotcha that fetch doesn't reject on a 404 — you have to check res.ok. "],
      ['A fetch example, then key points.\n', 'Code plus the states and pitfalls.\n'],
    ],
    answer: [
      ['\n\n## JavaScript Promises Explained\n\n', '\n\n## Promises and async/await\n\n'],
      [
        'A **Promise** represents the eventual result of an asynchronous operation. It is in one of three states:\n\n1. **pending**: still running\n2. **fulfilled**: finished with a value\n3. **rejected**: failed with a reason\n\nIt moves from pending to one of the other two **exactly once**.\n\n',
        'A **Promise** is a placeholder for a future value, with three states:\n\n1. **pending**\n2. **fulfilled**\n3. **rejected**\n\nOnce it settles, its state **never changes again**.\n\n',
      ],
      ['### Example\n\n' + promiseCode + '\n\n'],
      [
        '### Key Points\n\n- An `async` function always returns a Promise; `await` pauses it until the Promise settles\n- `Promise.all` runs things **in parallel** and rejects if any one fails; use `Promise.allSettled` to get every result\n- `fetch` does **not** reject on 404 or 500 — check `res.ok`\n- `await` inside a `for` loop runs **sequentially**; put independent requests in `Promise.all`\n',
        '### Common Pitfalls\n\n- Forgetting to `return` a Promise, which breaks the `.then` chain\n- No `.catch` or `try/catch`, leading to unhandled rejections\n- Assuming `fetch` rejects on HTTP errors — it only rejects on network failure\n- Awaiting independent requests one by one instead of with `Promise.all`\n',
      ],
    ],
  },
};

/** "正则表达式匹配邮箱" / "regex to validate an email". */
export const regex: Scenario = {
  id: 'regex',
  match: [/正则|regex|regular expression|regexp/, /正则匹配|正则校验|正则表达式|regex (for|to)|regex pattern|捕获组|capture group|lookahead|贪婪|greedy/],
  zh: {
    thinking: [
      ['\n用户问正则表达式：“{question}”。', '\n嗯，用户需要一个正则。'],
      ['最常见的需求是校验邮箱和手机号，我就以这两个为例。', '正则问题里最常见的是邮箱和手机号校验，用它们举例。'],
      ['邮箱的完整规范（RFC 5322）非常复杂，用正则完全覆盖不现实。一个实用的写法是：@ 前后都不能有空白和 @，后面要有点号。', '等等，邮箱如果想“完全正确”地匹配，正则会长得离谱，实际开发中用宽松规则 + 发验证邮件更靠谱。'],
      ['中国大陆手机号：1 开头，第二位 3–9，总共 11 位：^1[3-9]\\d{9}$。', '手机号规则：11 位数字，以 1 开头，第二位是 3 到 9。'],
      ['用表格拆解一下每一部分的含义，再给 JS 和 Python 的用法。\n', '逐段解释，再给代码示例，最后加个提醒。\n'],
    ],
    answer: [
      ['\n\n## 用正则校验邮箱和手机号\n\n', '\n\n## 正则表达式示例：邮箱与手机号\n\n'],
      ['### JavaScript\n\n' + regexCode + '\n\n'],
      [
        '### 邮箱正则拆解\n\n| 片段 | 含义 |\n| --- | --- |\n| `^` | 字符串开头 |\n| `[^\\s@]+` | 一个或多个“非空白、非 @”的字符 |\n| `@` | 字面量 @ |\n| `\\.` | 字面量点号（需要转义） |\n| `$` | 字符串结尾 |\n\n',
      ],
      ['### Python 写法\n\n' + regexPython + '\n\n', '### 在 Python 中使用\n\n' + regexPython + '\n\n'],
      ['> ⚠️ 正则无法完全覆盖邮箱规范（RFC 5322）。实际项目中用宽松的正则做格式检查，再**发送验证邮件**确认地址真实可用。\n', '> ⚠️ 别追求“完美”的邮箱正则：做基本格式校验，然后通过**验证邮件**确认才是可靠做法。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about regular expressions: "{question}". ', '\nOkay, they need a regex. '],
      ["The most common needs are validating emails and phone numbers, so I'll use those as examples. ", 'Email and phone validation are the classic regex requests; good examples. '],
      ["The full email spec (RFC 5322) is far too complex for a sane regex. A practical rule: no whitespace or @ on either side of the @, and a dot in the domain. ", 'Wait — a fully RFC-correct email regex is absurdly long. A loose pattern plus a confirmation email is the practical approach. '],
      ['For a mainland China mobile number: starts with 1, second digit 3–9, 11 digits total: ^1[3-9]\\d{9}$. ', 'Phone rule: 11 digits, leading 1, second digit between 3 and 9. '],
      ["A table breaking the pattern down, then JS and Python usage.\n", 'Explain piece by piece, show code, add a caveat.\n'],
    ],
    answer: [
      ['\n\n## Validating Emails and Phone Numbers with Regex\n\n', '\n\n## Regex Examples: Email and Phone\n\n'],
      ['### JavaScript\n\n' + regexCode + '\n\n'],
      [
        '### The Email Pattern, Piece by Piece\n\n| Part | Meaning |\n| --- | --- |\n| `^` | Start of the string |\n| `[^\\s@]+` | One or more characters that are not whitespace or @ |\n| `@` | A literal @ |\n| `\\.` | A literal dot (escaped) |\n| `$` | End of the string |\n\n',
      ],
      ['### In Python\n\n' + regexPython + '\n\n', '### Python Version\n\n' + regexPython + '\n\n'],
      ["> ⚠️ No regex fully covers the email spec (RFC 5322). Use a loose pattern for format checks and **send a confirmation email** to prove the address works.\n", "> ⚠️ Don't chase the perfect email regex: check the basic shape, then confirm with a **verification email**.\n"],
    ],
  },
};
