import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const html = fence('html', String.raw`
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Todo</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; }
    li { display: flex; gap: .5rem; align-items: center; padding: .25rem 0; }
    li.done span { text-decoration: line-through; color: #888; }
    li button { margin-left: auto; }
  </style>
</head>
<body>
  <h1>Todo</h1>
  <form id="new-todo">
    <input id="text" placeholder="What needs to be done?" autocomplete="off" required>
    <button>Add</button>
  </form>
  <ul id="list"></ul>
  <script src="app.js"></script>
</body>
</html>
`);

const js = fence('javascript', String.raw`
const STORAGE_KEY = 'todos';
const form = document.querySelector('#new-todo');
const input = document.querySelector('#text');
const list = document.querySelector('#list');

let todos = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');

function save() {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(todos));
}

function render() {
  list.replaceChildren();
  for (const todo of todos) {
    const li = document.createElement('li');
    li.classList.toggle('done', todo.done);

    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    checkbox.checked = todo.done;
    checkbox.addEventListener('change', () => {
      todo.done = checkbox.checked;
      save();
      render();
    });

    const text = document.createElement('span');
    text.textContent = todo.text; // textContent, not innerHTML: user input is never parsed as HTML

    const remove = document.createElement('button');
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => {
      todos = todos.filter((t) => t.id !== todo.id);
      save();
      render();
    });

    li.append(checkbox, text, remove);
    list.append(li);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  todos.push({ id: Date.now(), text, done: false });
  input.value = '';
  save();
  render();
});

render();
`);

/** "写一个待办事项应用" / "build a TODO list app": plain HTML + JavaScript with localStorage. */
export const todoApp: Scenario = {
  id: 'todo-app',
  match: [/todo|to-do|待办|任务清单/, /todo ?(app|list)|to-do ?(app|list)|待办(事项)?(应用|清单|列表|app)|任务清单/],
  zh: {
    thinking: [
      ['\n用户想做一个待办事项应用：“{question}”。', '\n好的，用户让我写一个 TODO List 应用。'],
      ['他没指定框架，用原生 HTML + JavaScript 最通用，不需要安装任何东西，浏览器直接打开就能用。', '没说用什么技术栈，那就用纯 HTML 和 JavaScript，零依赖，最容易上手。'],
      ['功能要有：添加、勾选完成、删除，再加上 localStorage 持久化，刷新页面数据不丢。', '核心功能：新增、完成、删除；数据存 localStorage，这样刷新后还在。'],
      ['等等，显示用户输入时要用 textContent 而不是 innerHTML，否则会有 XSS 风险。', '安全上要注意：用户输入的文本用 textContent 渲染，避免注入 HTML。'],
      ['代码分两个文件：index.html 和 app.js。最后说说可以怎么扩展。\n', '分成 HTML 和 JS 两块代码，再给几个扩展方向。\n'],
    ],
    answer: [
      ['\n\n## ✅ 一个简单的待办事项应用\n\n', '\n\n## ✅ TODO List 应用（原生 HTML + JavaScript）\n\n'],
      ['功能：**添加**、**勾选完成**、**删除**，数据保存在 `localStorage`，刷新后不会丢失。不需要任何依赖，新建两个文件即可。\n\n', '这个版本零依赖，支持**新增 / 完成 / 删除**，并用 `localStorage` 持久化数据。\n\n'],
      ['### index.html\n\n' + html + '\n\n'],
      ['### app.js\n\n' + js + '\n\n'],
      [
        '### 说明\n\n- 每次数据变化后调用 `save()` 和 `render()`，逻辑简单清晰\n- 用 `textContent` 显示文本，防止 XSS\n- 用浏览器直接打开 `index.html` 就能运行\n\n',
        '### 要点\n\n- **单一数据源**：`todos` 数组，界面由 `render()` 整体重建\n- **安全**：文本通过 `textContent` 插入，不会被当作 HTML 解析\n- **运行**：双击 `index.html` 即可\n\n',
      ],
      ['可以继续扩展：筛选（全部 / 未完成 / 已完成）、双击编辑、拖拽排序，或者改写成 React / Vue 版本。需要的话告诉我 😊', '想再进一步的话，可以加上筛选、编辑、截止日期，或者换成 React 实现，随时告诉我。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a TODO list app: "{question}". ', '\nOkay, they are asking me to build a to-do list app. '],
      ["No framework mentioned, so plain HTML and JavaScript is the most universal: nothing to install, just open it in a browser. ", "They didn't specify a stack. Vanilla HTML + JS has zero dependencies and is easy to follow. "],
      ['Features: add, mark done, delete, plus localStorage so the list survives a reload. ', 'Core features: add, complete, remove; persist to localStorage. '],
      ['Wait — when showing user input I must use textContent, not innerHTML, or it is an XSS hole. ', 'Security: render the text with textContent so user input is never parsed as HTML. '],
      ["Two files, index.html and app.js, then some ideas for extending it.\n", 'HTML and JS as separate blocks, then next steps.\n'],
    ],
    answer: [
      ['\n\n## ✅ A Simple TODO List App\n\n', '\n\n## ✅ TODO List App (vanilla HTML + JavaScript)\n\n'],
      ["Features: **add**, **complete** and **delete** items, saved in `localStorage` so they survive a reload. No dependencies — just create two files.\n\n", 'Zero dependencies, supports **add / complete / delete**, and persists to `localStorage`.\n\n'],
      ['### index.html\n\n' + html + '\n\n'],
      ['### app.js\n\n' + js + '\n\n'],
      [
        '### Notes\n\n- Every change calls `save()` then `render()`, which keeps the logic simple\n- Text is shown with `textContent`, which prevents XSS\n- Open `index.html` in a browser to run it\n\n',
        '### Key Points\n\n- **Single source of truth**: the `todos` array; `render()` rebuilds the list from it\n- **Safe**: text goes in through `textContent`, never parsed as HTML\n- **Run it**: just open `index.html`\n\n',
      ],
      ['Ideas for next steps: filters (all / active / done), double-click to edit, drag to reorder, or a React / Vue version. Just ask 😊', 'Want more? Filters, editing, due dates, or a React rewrite — let me know.'],
    ],
  },
};
