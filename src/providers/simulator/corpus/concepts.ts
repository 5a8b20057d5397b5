import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const recursionCode = fence('python', String.raw`
def factorial(n: int) -> int:
    if n <= 1:          # base case: stops the recursion
        return 1
    return n * factorial(n - 1)   # recursive case: a smaller problem


print(factorial(5))  # 120
`);

const memoCode = fence('python', String.raw`
from functools import lru_cache


@lru_cache(maxsize=None)
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(80))  # 23416728348467685, instantly thanks to the cache
`);

const httpExample = fence('http', String.raw`
GET /api/users/42 HTTP/1.1
Host: example.com
Accept: application/json

HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: 27

{"id": 42, "name": "Alice"}
`);

/** "什么是递归" / "explain recursion". */
export const recursion: Scenario = {
  id: 'recursion',
  match: [/递归|recursion|recursive/, /递归函数|基线条件|终止条件|base case|call stack|调用栈|stack overflow|栈溢出|阶乘|factorial|fibonacci|斐波那契/],
  zh: {
    thinking: [
      ['\n用户问什么是递归：“{question}”。', '\n嗯，用户想理解递归这个概念。'],
      ['一句话定义：函数直接或间接调用自己，把大问题拆成同类的小问题。', '递归的本质是“自己调用自己”，每次处理规模更小的同类问题。'],
      ['两个要素必须讲：基线条件（什么时候停）和递归条件（怎么缩小问题）。少了基线条件就会无限递归、栈溢出。', '关键是终止条件和递推关系，没有终止条件程序会栈溢出。'],
      ['用阶乘做例子最经典。等等，可以用调用过程展开一下，用嵌套列表表示调用栈，会更直观。', '阶乘例子 + 调用栈展开图，应该能讲明白。'],
      ['再提一下缺点：Python 默认递归深度约 1000；朴素斐波那契会重复计算，可以用 lru_cache 记忆化。\n', '最后说说性能：重复计算的问题和记忆化。\n'],
    ],
    answer: [
      ['\n\n## 什么是递归？\n\n', '\n\n## 递归详解\n\n'],
      ['**递归**是指函数在执行过程中**调用自身**，把一个大问题拆成规模更小的同类问题，直到问题小到可以直接回答。\n\n每个递归函数都需要两部分：\n\n1. **基线条件**：什么时候停下来\n2. **递归条件**：如何把问题缩小\n\n', '简单说，**递归就是函数调用自己**。它把问题拆成“更小的同一个问题”，一直拆到最简单的情况。\n\n写递归要想清楚两件事：\n\n1. **终止条件**（base case）\n2. **递推关系**（如何缩小规模）\n\n'],
      ['### 例子：阶乘\n\n' + recursionCode + '\n\n'],
      [
        '### 调用过程\n\n- `factorial(5)` = 5 × `factorial(4)`\n  - `factorial(4)` = 4 × `factorial(3)`\n    - `factorial(3)` = 3 × `factorial(2)`\n      - `factorial(2)` = 2 × `factorial(1)`\n        - `factorial(1)` = 1（基线条件，开始返回）\n\n结果逐层返回：1 → 2 → 6 → 24 → **120**。\n\n',
      ],
      ['### 注意事项\n\n- Python 默认递归深度上限约为 **1000**，太深会抛出 `RecursionError`\n- 有重复子问题时（如斐波那契）要做**记忆化**：\n\n' + memoCode + '\n', '### 需要注意\n\n- 没有终止条件会导致**栈溢出**\n- 重复计算会让效率急剧下降，可以用缓存优化：\n\n' + memoCode + '\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user asks what recursion is: "{question}". ', '\nOkay, they want to understand recursion. '],
      ['One-line definition: a function that calls itself, breaking a problem into smaller instances of the same problem. ', 'The essence: a function solves a problem by calling itself on a smaller version of it. '],
      ["Two parts must be explained: the base case (when to stop) and the recursive case (how to shrink). Without a base case you get infinite recursion and a stack overflow. ", 'Key ingredients: a stopping condition and a step that makes progress toward it. '],
      ['Factorial is the classic example. Wait — unrolling the calls as a nested list would make the call stack visible. ', 'Factorial plus an unrolled call stack should make it click. '],
      ["Then the downsides: Python's default recursion limit is about 1000, and naive Fibonacci recomputes everything — lru_cache fixes that.\n", 'Finish with performance: repeated work and memoisation.\n'],
    ],
    answer: [
      ['\n\n## What Is Recursion?\n\n', '\n\n## Recursion Explained\n\n'],
      ['**Recursion** is when a function **calls itself** to solve a smaller version of the same problem, until the problem is small enough to answer directly.\n\nEvery recursive function needs:\n\n1. **A base case**: when to stop\n2. **A recursive case**: how to make the problem smaller\n\n', 'Put simply, **recursion is a function calling itself**. It keeps splitting the problem into a smaller copy until it reaches the simplest case.\n\nTwo things to get right:\n\n1. **The base case**\n2. **The recursive step** that shrinks the problem\n\n'],
      ['### Example: Factorial\n\n' + recursionCode + '\n\n'],
      [
        '### What Happens\n\n- `factorial(5)` = 5 × `factorial(4)`\n  - `factorial(4)` = 4 × `factorial(3)`\n    - `factorial(3)` = 3 × `factorial(2)`\n      - `factorial(2)` = 2 × `factorial(1)`\n        - `factorial(1)` = 1 (base case, start returning)\n\nThe results come back up: 1 → 2 → 6 → 24 → **120**.\n\n',
      ],
      ["### Watch Out\n\n- Python's default recursion limit is about **1000**; deeper calls raise `RecursionError`\n- When subproblems repeat (like Fibonacci), **memoise**:\n\n" + memoCode + '\n', '### Pitfalls\n\n- No base case means a **stack overflow**\n- Repeated work makes it slow; a cache fixes that:\n\n' + memoCode + '\n'],
    ],
  },
};

/** "HTTP 是什么" / "how does HTTP work". */
export const http: Scenario = {
  id: 'http',
  match: [/\bhttps?\b/, /状态码|status codes?|请求方法|请求头|响应头|http methods?|三次握手|\btls\b|\bheaders?\b|cookie|\b(200|301|302|404|500)\b/],
  zh: {
    thinking: [
      ['\n用户问 HTTP：“{question}”。', '\n嗯，用户想了解 HTTP 协议。'],
      ['HTTP 是超文本传输协议，基于请求-响应模型，客户端发请求、服务器回响应。它本身是无状态的。', '核心：应用层协议，请求/响应模式，无状态，状态靠 Cookie 等机制维持。'],
      ['要讲清楚请求和响应的结构：请求行、请求头、空行、请求体。给一个原始报文的例子最直观。', '给一段真实的报文示例，让他看到请求行、头部和正文。'],
      ['常用方法 GET、POST、PUT、DELETE，状态码按首位数字分类，用表格列出来。等等，HTTPS 也要提：就是 HTTP 加上 TLS 加密。', '状态码用表格：2xx 成功、3xx 重定向、4xx 客户端错误、5xx 服务端错误。再补一句 HTTPS 和 HTTP/2、HTTP/3。'],
      ['结构：概念 → 报文示例 → 方法 → 状态码表。\n', '就这么组织。\n'],
    ],
    answer: [
      ['\n\n## HTTP 是什么？\n\n', '\n\n## 理解 HTTP 协议\n\n'],
      ['**HTTP**（超文本传输协议）是浏览器和服务器之间通信的应用层协议，采用**请求-响应**模式：客户端发送请求，服务器返回响应。HTTP 本身是**无状态**的，登录状态等需要借助 Cookie 或 Token 维持。\n\n', '**HTTP** 是 Web 的基础协议。客户端（比如浏览器）发出**请求**，服务器返回**响应**，每次请求彼此独立（**无状态**）。\n\n'],
      ['### 报文示例\n\n' + httpExample + '\n\n'],
      [
        '### 常用方法\n\n- **GET**：获取资源\n- **POST**：提交数据、创建资源\n- **PUT / PATCH**：整体 / 部分更新\n- **DELETE**：删除资源\n\n',
      ],
      [
        '### 状态码\n\n| 类别 | 含义 | 常见例子 |\n| --- | --- | --- |\n| 2xx | 成功 | 200 OK、201 Created |\n| 3xx | 重定向 | 301 永久重定向、304 未修改 |\n| 4xx | 客户端错误 | 400、401、403、404 |\n| 5xx | 服务端错误 | 500、502、503 |\n\n',
      ],
      ['> 🔒 **HTTPS** = HTTP + TLS 加密。现代网站基本都用 HTTPS；HTTP/2 引入了多路复用，HTTP/3 则基于 QUIC（UDP）。\n', '> 🔒 **HTTPS** 在 HTTP 之下加了一层 TLS，保证传输加密和身份验证。HTTP/2 支持多路复用，HTTP/3 运行在 QUIC 之上。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about HTTP: "{question}". ', '\nOkay, they want to understand HTTP. '],
      ['HTTP is the HyperText Transfer Protocol: request-response, the client asks and the server answers. It is stateless by itself. ', 'Core points: application-layer protocol, request/response, stateless, with cookies or tokens for state. '],
      ['I should show the structure of a request and a response: start line, headers, blank line, body. A raw message example is clearest. ', 'A real raw exchange will show the request line, headers and body. '],
      ['Methods — GET, POST, PUT, DELETE — and status codes by first digit, in a table. Wait, HTTPS too: HTTP over TLS. ', 'Status codes as a table: 2xx success, 3xx redirect, 4xx client error, 5xx server error. Then HTTPS and HTTP/2, HTTP/3. '],
      ['Structure: concept, example, methods, status table.\n', "That's the plan.\n"],
    ],
    answer: [
      ['\n\n## What Is HTTP?\n\n', '\n\n## Understanding HTTP\n\n'],
      ['**HTTP** (HyperText Transfer Protocol) is the application-layer protocol browsers and servers use to talk. It follows a **request-response** model: the client sends a request, the server returns a response. HTTP itself is **stateless**; logins rely on cookies or tokens.\n\n', '**HTTP** is the foundation of the web. A client (such as a browser) sends a **request**, the server sends back a **response**, and each exchange stands alone (**stateless**).\n\n'],
      ['### A Raw Exchange\n\n' + httpExample + '\n\n'],
      [
        '### Common Methods\n\n- **GET**: read a resource\n- **POST**: submit data or create a resource\n- **PUT / PATCH**: replace / partially update\n- **DELETE**: remove a resource\n\n',
      ],
      [
        '### Status Codes\n\n| Class | Meaning | Examples |\n| --- | --- | --- |\n| 2xx | Success | 200 OK, 201 Created |\n| 3xx | Redirection | 301 Moved Permanently, 304 Not Modified |\n| 4xx | Client error | 400, 401, 403, 404 |\n| 5xx | Server error | 500, 502, 503 |\n\n',
      ],
      ['> 🔒 **HTTPS** = HTTP + TLS encryption. Nearly every modern site uses it. HTTP/2 added multiplexing, and HTTP/3 runs over QUIC (UDP).\n', '> 🔒 **HTTPS** adds a TLS layer underneath HTTP for encryption and server authentication. HTTP/2 multiplexes requests; HTTP/3 runs on QUIC.\n'],
    ],
  },
};
