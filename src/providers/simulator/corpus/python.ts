import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const comprehensions = fence('python', String.raw`
squares = [n * n for n in range(10)]                 # [0, 1, 4, ..., 81]
evens = [n for n in range(20) if n % 2 == 0]          # filter with if
labels = ["even" if n % 2 == 0 else "odd" for n in range(4)]
pairs = [(x, y) for x in range(3) for y in range(3) if x != y]

words = ["apple", "Banana", "cherry"]
lengths = {w: len(w) for w in words}                 # dict comprehension
initials = {w[0].lower() for w in words}             # set comprehension
total = sum(n * n for n in range(10))                # generator expression: no list is built
`);

const loopVersion = fence('python', String.raw`
squares = []
for n in range(10):
    squares.append(n * n)
`);

const readFile = fence('python', String.raw`
from pathlib import Path

# 1. The whole file at once (fine for small files)
text = Path("notes.txt").read_text(encoding="utf-8")

# 2. Line by line: constant memory, works for huge files
with open("notes.txt", encoding="utf-8") as f:
    for line_no, line in enumerate(f, start=1):
        print(line_no, line.rstrip("\n"))

# 3. All lines as a list, without trailing newlines
lines = Path("notes.txt").read_text(encoding="utf-8").splitlines()
`);

const readCsv = fence('python', String.raw`
import csv

with open("people.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        print(row["name"], row["age"])
`);

const decorator = fence('python', String.raw`
import functools
import time


def timed(func):
    """Print how long each call to func takes."""

    @functools.wraps(func)  # keep func's __name__ and docstring
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            print(f"{func.__name__} took {elapsed:.3f}s")

    return wrapper


@timed
def slow_add(a, b):
    time.sleep(0.5)
    return a + b


print(slow_add(1, 2))
# slow_add took 0.501s
# 3
`);

const decoratorWithArgs = fence('python', String.raw`
import functools


def retry(times=3):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except Exception:
                    if attempt == times:
                        raise
        return wrapper
    return decorate


@retry(times=5)
def flaky_request():
    ...
`);

/** "Python 列表推导式怎么用" / "python list comprehension". */
export const pythonComprehension: Scenario = {
  id: 'python-comprehension',
  match: [/列表推导|推导式|comprehension/, /列表推导式|list comprehension|dict comprehension|字典推导|生成器表达式|generator expression|\[.+ for .+ in .+\]/],
  zh: {
    thinking: [
      ['\n用户问的是 Python 的列表推导式：“{question}”。', '\n嗯，用户想了解 Python 列表推导式。'],
      ['先给基本语法：[表达式 for 变量 in 可迭代对象 if 条件]，再和普通 for 循环对比一下。', '最好先说语法结构，然后用等价的 for 循环帮助理解。'],
      ['常见用法有：映射、过滤、条件表达式、嵌套循环。等等，字典推导式和集合推导式也该顺便提一下。', '例子要覆盖过滤、if-else、双重循环，还有 dict 和 set 推导式。'],
      ['还有一个容易忽略的点：只是求和的话用生成器表达式，不用先建列表。', '另外要提醒：太复杂的推导式会难读，这时候还是写普通循环更好。'],
      ['用代码块加几条要点就够了。\n', '嗯，代码示例加注释，再总结几条建议。\n'],
    ],
    answer: [
      ['\n\n## Python 列表推导式\n\n', '\n\n## 列表推导式（List Comprehension）\n\n'],
      ['基本语法：`[表达式 for 变量 in 可迭代对象 if 条件]`。它等价于下面这个循环：\n\n', '语法是 `[expr for x in iterable if cond]`，和下面的 for 循环效果相同：\n\n'],
      [loopVersion + '\n\n'],
      ['常见写法：\n\n' + comprehensions + '\n\n', '更多例子：\n\n' + comprehensions + '\n\n'],
      [
        '### 使用建议\n\n- 简单的**映射和过滤**用推导式，简洁又快\n- `if` 放在末尾是**过滤**；`a if 条件 else b` 放在前面是**选择值**\n- 只需要遍历或求和时，用**生成器表达式**（圆括号），节省内存\n- 超过两层循环或逻辑复杂时，改回普通 `for` 循环，可读性更重要\n',
        '### 要点\n\n- 末尾的 `if` 用来**过滤**元素，前面的 `x if c else y` 用来**转换**元素\n- `{k: v for ...}` 是字典推导式，`{x for ...}` 是集合推导式\n- 传给 `sum()`、`any()` 时用**生成器表达式**即可\n- 推导式写得太长就拆开，别为了炫技牺牲可读性\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about Python list comprehensions: "{question}". ', '\nOkay, a question about list comprehensions in Python. '],
      ['Start with the syntax — [expression for item in iterable if condition] — and compare it with a plain for loop. ', 'I should show the syntax first, then the equivalent loop so it clicks. '],
      ['Common uses: mapping, filtering, conditional expressions, nested loops. Wait, dict and set comprehensions are worth a mention too. ', 'Examples should cover filtering, if-else, a double loop, plus dict and set comprehensions. '],
      ["One more point: for a sum, a generator expression avoids building the list at all. ", 'Also a caution: complex comprehensions get hard to read; a loop is better then. '],
      ['A code block plus a few guidelines should do.\n', 'Commented examples and a short list of tips.\n'],
    ],
    answer: [
      ['\n\n## Python List Comprehensions\n\n', '\n\n## List Comprehensions in Python\n\n'],
      ['The syntax is `[expression for item in iterable if condition]`. It does the same as this loop:\n\n', 'A comprehension `[expr for x in iterable if cond]` is shorthand for a loop like this:\n\n'],
      [loopVersion + '\n\n'],
      ['Common patterns:\n\n' + comprehensions + '\n\n', 'More examples:\n\n' + comprehensions + '\n\n'],
      [
        '### Guidelines\n\n- Use comprehensions for simple **mapping and filtering** — they are concise and fast\n- A trailing `if` **filters**; `a if cond else b` at the front **chooses a value**\n- When you only iterate or sum, use a **generator expression** (parentheses) to save memory\n- More than two loops or tricky logic? Go back to a normal `for` loop\n',
        '### Key Points\n\n- The trailing `if` **filters** items; the leading `x if c else y` **transforms** them\n- `{k: v for ...}` builds a dict, `{x for ...}` builds a set\n- Pass a **generator expression** straight to `sum()` or `any()`\n- If it no longer fits on one line comfortably, split it up\n',
      ],
    ],
  },
};

/** "Python 怎么读取文件" / "how to read a file in python". */
export const pythonReadFile: Scenario = {
  id: 'python-read-file',
  match: [/读取?文件|读文件|打开文件|read (a |the )?(text |csv )?file|open (a )?file|with open/, /逐行|line by line|pathlib|\.txt|csv|readlines?|with open|encoding/],
  zh: {
    thinking: [
      ['\n用户问 Python 怎么读取文件：“{question}”。', '\n嗯，用户想知道 Python 读文件的方法。'],
      ['最推荐的是 with open(...)，它会自动关闭文件。pathlib 的 read_text 对小文件更简洁。', '核心是 with 语句：离开代码块时文件自动关闭，出异常也一样。'],
      ['等等，编码一定要写 encoding="utf-8"，否则在 Windows 上默认编码可能不是 UTF-8，读中文会出错。', '还得提醒指定 encoding，不然不同系统的默认编码不一样，中文容易乱码。'],
      ['大文件要逐行迭代，不要一次 read() 进内存。CSV 文件用 csv 模块更稳妥。', '再补充大文件逐行读取和 CSV 的读法，覆盖常见场景。'],
      ['写两段代码，再列出注意事项。\n', '代码加要点，就这样。\n'],
    ],
    answer: [
      ['\n\n## Python 读取文件的几种方式\n\n', '\n\n## 用 Python 读文件\n\n'],
      [readFile + '\n\n'],
      ['读取 **CSV** 文件推荐用标准库的 `csv` 模块：\n\n' + readCsv + '\n\n', '如果是 **CSV**，用 `csv.DictReader` 按列名取值：\n\n' + readCsv + '\n\n'],
      [
        '### 注意事项\n\n- 始终用 `with`，文件会**自动关闭**\n- 显式写 `encoding="utf-8"`，避免不同系统默认编码不同导致乱码\n- 大文件用 `for line in f` **逐行**处理，不要一次性 `read()`\n- 文件不存在会抛出 `FileNotFoundError`，需要时用 `try/except` 处理\n',
        '### 小结\n\n- `with open(...)` 保证文件被关闭\n- **一定要指定编码**，尤其是处理中文时\n- 小文件用 `Path.read_text()`，大文件逐行迭代\n- 写 CSV 时打开文件要加 `newline=""`，读取时也建议加上\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking how to read a file in Python: "{question}". ', '\nOkay, reading files in Python. '],
      ["The go-to is with open(...), which closes the file automatically. pathlib's read_text is neater for small files. ", 'The key idea is the with statement: the file is closed when the block ends, even on an exception. '],
      ['Wait, I should always pass encoding="utf-8" — on Windows the default encoding may not be UTF-8. ', 'I must mention the encoding argument; defaults differ between systems. '],
      ["Large files should be iterated line by line, not read() in one go. CSV files deserve the csv module. ", 'Also cover big files and CSV, since those come up constantly. '],
      ['Two code blocks, then the gotchas.\n', 'Code plus key points.\n'],
    ],
    answer: [
      ['\n\n## Reading Files in Python\n\n', '\n\n## How to Read a File in Python\n\n'],
      [readFile + '\n\n'],
      ['For **CSV** files, use the standard `csv` module:\n\n' + readCsv + '\n\n', 'For **CSV**, `csv.DictReader` lets you access columns by name:\n\n' + readCsv + '\n\n'],
      [
        '### Things to Remember\n\n- Always use `with` so the file is **closed automatically**\n- Pass `encoding="utf-8"` explicitly; default encodings differ between systems\n- Iterate **line by line** over big files instead of calling `read()`\n- A missing file raises `FileNotFoundError`; catch it if that can happen\n',
        "### Summary\n\n- `with open(...)` guarantees the file is closed\n- **Always specify the encoding**\n- `Path.read_text()` for small files, iteration for large ones\n- Open CSV files with `newline=\"\"` as the `csv` docs recommend\n",
      ],
    ],
  },
};

/** "Python 装饰器是什么" / "explain python decorators". */
export const pythonDecorator: Scenario = {
  id: 'python-decorator',
  match: [/装饰器|decorator/, /functools|wraps|lru_cache|@property|语法糖|syntactic sugar/],
  zh: {
    thinking: [
      ['\n用户问 Python 装饰器：“{question}”。', '\n嗯，用户想理解 Python 的装饰器。'],
      ['本质上，装饰器就是一个接收函数、返回新函数的函数。@timed 只是 slow_add = timed(slow_add) 的语法糖。', '核心概念：函数是一等对象，装饰器接收一个函数并返回包装后的函数。'],
      ['举个计时的例子最直观。等等，要记得用 functools.wraps，否则被装饰函数的 __name__ 会变成 wrapper。', '用计时装饰器举例比较实用，别忘了 functools.wraps 保留原函数的元信息。'],
      ['再给一个带参数的装饰器，比如 retry(times=3)，它多了一层函数嵌套，这是很多人困惑的地方。', '带参数的装饰器是三层嵌套，初学者常卡在这里，也写个例子。'],
      ['最后列几个常见用途：日志、缓存、权限校验、重试。\n', '结尾说说实际用途，比如 lru_cache、Flask 的路由。\n'],
    ],
    answer: [
      ['\n\n## Python 装饰器\n\n', '\n\n## 理解 Python 装饰器\n\n'],
      ['装饰器是一个**接收函数并返回新函数**的函数，用来在不修改原函数代码的情况下增加功能。`@timed` 写在函数上方，等价于 `slow_add = timed(slow_add)`。\n\n', '一句话：装饰器**包装**一个函数，在它前后加上额外的逻辑。`@timed` 就是 `slow_add = timed(slow_add)` 的语法糖。\n\n'],
      ['### 例子：给函数计时\n\n' + decorator + '\n\n'],
      ['### 带参数的装饰器\n\n需要参数时，外面再包一层：\n\n' + decoratorWithArgs + '\n\n', '### 带参数的装饰器\n\n`@retry(times=5)` 先调用 `retry(5)` 得到真正的装饰器，所以多一层嵌套：\n\n' + decoratorWithArgs + '\n\n'],
      [
        '### 常见用途\n\n- **日志和计时**\n- **缓存**：标准库的 `@functools.lru_cache`\n- **权限校验**：Web 框架里的登录检查\n- **路由注册**：Flask 的 `@app.route("/")`\n',
        '### 实际应用\n\n- `@functools.lru_cache`：结果缓存\n- `@property`、`@staticmethod`：内置装饰器\n- Flask / FastAPI 的路由装饰器\n- 重试、限流、权限检查\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about Python decorators: "{question}". ', '\nOkay, they want to understand decorators in Python. '],
      ['At its core a decorator is a function that takes a function and returns a new one. @timed is just sugar for slow_add = timed(slow_add). ', 'The key concept: functions are first-class objects, and a decorator returns a wrapped version of one. '],
      ["A timing example is the clearest. Wait — I need functools.wraps, otherwise the decorated function's __name__ becomes 'wrapper'. ", "A timer decorator is practical. Don't forget functools.wraps to keep the metadata. "],
      ['Then a decorator with arguments, like retry(times=3): one more level of nesting, which confuses many people. ', 'Parameterised decorators need three levels of functions; that trips people up, so an example helps. '],
      ['Finish with real uses: logging, caching, auth checks, retries.\n', 'End with where they show up in practice, like lru_cache and Flask routes.\n'],
    ],
    answer: [
      ['\n\n## Python Decorators\n\n', '\n\n## Understanding Decorators in Python\n\n'],
      ['A decorator is a **function that takes a function and returns a new one**, adding behaviour without changing the original code. Writing `@timed` above a function is the same as `slow_add = timed(slow_add)`.\n\n', 'In one sentence: a decorator **wraps** a function to run extra logic around it. `@timed` is syntactic sugar for `slow_add = timed(slow_add)`.\n\n'],
      ['### Example: timing a function\n\n' + decorator + '\n\n'],
      ['### Decorators with arguments\n\nWhen the decorator takes parameters, add one more layer:\n\n' + decoratorWithArgs + '\n\n', '### Decorators with arguments\n\n`@retry(times=5)` first calls `retry(5)`, which returns the real decorator — hence the extra nesting:\n\n' + decoratorWithArgs + '\n\n'],
      [
        '### Common Uses\n\n- **Logging and timing**\n- **Caching**: `@functools.lru_cache` in the standard library\n- **Access control**: login checks in web frameworks\n- **Registration**: Flask\'s `@app.route("/")`\n',
        '### In Practice\n\n- `@functools.lru_cache` for memoisation\n- Built-ins like `@property` and `@staticmethod`\n- Route decorators in Flask and FastAPI\n- Retries, rate limiting, permission checks\n',
      ],
    ],
  },
};
