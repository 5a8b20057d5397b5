import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const pySnippet = fence('python', String.raw`
nums = [3, 1, 2]
doubled = [n * 2 for n in nums]
print(sorted(doubled))  # [2, 4, 6]
`);

const jsSnippet = fence('javascript', String.raw`
const nums = [3, 1, 2];
const doubled = nums.map((n) => n * 2);
console.log(doubled.sort((a, b) => a - b)); // [2, 4, 6]
`);

const tableZh =
  '| 对比项 | Python | JavaScript |\n| --- | --- | --- |\n| 类型系统 | 动态、强类型 | 动态、弱类型（隐式转换多） |\n| 主要领域 | 数据分析、AI、自动化、后端 | 网页前端、Node.js 后端、全栈 |\n| 运行环境 | CPython 解释器 | 浏览器、Node.js |\n| 并发模型 | 多线程（受 GIL 限制）、asyncio | 单线程事件循环 + Promise |\n| 包管理 | pip / PyPI | npm / yarn / pnpm |\n| 代码块 | 缩进 | 花括号 `{ }` |\n\n';
const tableEn =
  '| Aspect | Python | JavaScript |\n| --- | --- | --- |\n| Typing | Dynamic, strong | Dynamic, weak (lots of implicit coercion) |\n| Main uses | Data, AI, scripting, back end | Web front end, Node.js back end, full stack |\n| Runs on | The CPython interpreter | Browsers and Node.js |\n| Concurrency | Threads (limited by the GIL), asyncio | Single-threaded event loop with promises |\n| Packages | pip / PyPI | npm / yarn / pnpm |\n| Blocks | Indentation | Curly braces `{ }` |\n\n';

/** "Python 和 JavaScript 哪个好" / "python vs javascript". */
export const comparePythonJs: Scenario = {
  id: 'compare-python-js',
  match: [
    /python.*(javascript|\bjs\b)|(javascript|\bjs\b).*python/,
    /(python|javascript|\bjs\b).*(对比|比较|区别|差异|哪个|\bvs\b|versus|better)|(compare|comparison|difference|对比|比较|区别|which).*(python|javascript)/,
  ],
  zh: {
    thinking: [
      ['\n用户想比较 Python 和 JavaScript：“{question}”。', '\n嗯，经典问题：Python 还是 JavaScript？'],
      ['这两门语言没有绝对的好坏，关键看他想做什么。我应该客观对比，再按目标给建议。', '不能简单说哪个更好，要从用途、语法、生态几个维度对比。'],
      ['维度：类型系统、应用领域、运行环境、并发模型、包管理、语法风格。用表格最清楚。', '表格里列：类型、主要领域、运行环境、并发、包管理、代码块写法。'],
      ['等等，再放两段做同一件事的代码，直观感受语法差异。注意 JS 的 sort 默认按字符串排序，要传比较函数。', '加一个小例子：同样是把数组翻倍再排序，两种写法对比。JS 的 sort 要传 (a, b) => a - b，不然 10 会排在 2 前面。'],
      ['最后按目标给建议：做网页选 JS，做数据和 AI 选 Python。\n', '结尾给选择建议，说两门都学也不冲突。\n'],
    ],
    answer: [
      ['\n\n## Python vs JavaScript\n\n', '\n\n## Python 和 JavaScript 对比\n\n'],
      ['两门语言都很流行，没有绝对的优劣，**取决于你想做什么**。主要区别如下：\n\n', '简单来说，它们擅长的领域不同。先看一张对比表：\n\n'],
      [tableZh],
      ['### 同一件事的两种写法\n\n' + pySnippet + '\n\n' + jsSnippet + '\n\n'],
      [
        '### 怎么选\n\n- **想做网页或前端** → JavaScript（浏览器里唯一原生支持的语言）\n- **想做数据分析、机器学习、自动化脚本** → Python\n- **零基础入门** → Python 语法更简洁，上手更快\n\n学会一门之后，再学另一门会容易很多 😊',
        '### 建议\n\n- **前端 / 全栈开发**：先学 JavaScript\n- **数据科学 / AI**：先学 Python\n- **只是想学编程**：Python 的语法更友好\n\n两门语言都值得掌握，编程思想是相通的 😊',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to compare Python and JavaScript: "{question}". ', '\nOkay, the classic question: Python or JavaScript? '],
      ["Neither is simply better; it depends on what they want to build. I should compare fairly and then advise by goal. ", "I can't just pick one. Compare use cases, syntax and ecosystem. "],
      ['Dimensions: typing, domains, runtime, concurrency, package management, syntax. A table is clearest. ', 'Table rows: typing, main uses, runtime, concurrency, packages, block syntax. '],
      ["Wait, two snippets doing the same thing would show the syntax difference. Careful: JS sort() compares strings by default, so pass a comparator. ", 'A tiny example, doubling and sorting a list in both. In JS, sort needs (a, b) => a - b, or 10 sorts before 2. '],
      ['Then advice by goal: web means JavaScript, data and AI mean Python.\n', 'End with a recommendation, and note that learning both is fine.\n'],
    ],
    answer: [
      ['\n\n## Python vs JavaScript\n\n', '\n\n## Comparing Python and JavaScript\n\n'],
      ['Both are hugely popular and neither is strictly better — **it depends on what you want to build**. The main differences:\n\n', 'In short, they shine in different areas. Here is a side-by-side view:\n\n'],
      [tableEn],
      ['### The Same Task in Both\n\n' + pySnippet + '\n\n' + jsSnippet + '\n\n'],
      [
        '### Which Should You Pick?\n\n- **Websites and front end** → JavaScript (the only language browsers run natively)\n- **Data analysis, machine learning, automation** → Python\n- **Complete beginner** → Python, thanks to its cleaner syntax\n\nOnce you know one, the other comes much faster 😊',
        '### Recommendation\n\n- **Front-end or full-stack work**: start with JavaScript\n- **Data science or AI**: start with Python\n- **Just learning to code**: Python is gentler\n\nBoth are worth knowing; the core ideas carry over 😊',
      ],
    ],
  },
};
