import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const sqlQuery = fence('sql', String.raw`
SELECT u.id,
       u.name,
       COUNT(o.id)   AS order_count,
       SUM(o.amount) AS total_spent
FROM users AS u
JOIN orders AS o ON o.user_id = u.id
WHERE o.created_at >= '2024-01-01'
  AND o.created_at <  '2025-01-01'
GROUP BY u.id, u.name
HAVING SUM(o.amount) > 1000
ORDER BY total_spent DESC
LIMIT 5;
`);

const sqlIndex = fence('sql', 'CREATE INDEX idx_orders_created_at ON orders (created_at);');

const gitDaily = fence('bash', String.raw`
git switch -c feature/login        # create a branch and switch to it
git add -p                         # stage changes hunk by hunk
git commit -m "Add login form"
git push -u origin feature/login
git pull --rebase origin main      # bring in the latest main before a PR
git log --oneline --graph -10      # the last 10 commits as a graph
`);

const dockerfile = fence('dockerfile', String.raw`
FROM node:20-alpine
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
`);

const dockerCommands = fence('bash', String.raw`
docker build -t my-app .                          # build an image from the Dockerfile
docker run -d --name my-app -p 3000:3000 my-app   # start a container in the background
docker ps                                         # list running containers
docker logs -f my-app                             # follow its logs
docker exec -it my-app sh                         # open a shell inside it
docker stop my-app && docker rm my-app            # stop and remove it
`);

/** "写一个 SQL 查询" / "SQL query with join and group by". */
export const sql: Scenario = {
  id: 'sql',
  match: [/\bsql\b|mysql|postgres|sqlite|数据库|database/, /select .* from|group by|\bjoin\b|sql ?(查询|语句)|子查询|subquery|聚合函数|aggregate/],
  zh: {
    thinking: [
      ['\n用户问 SQL 查询：“{question}”。', '\n嗯，用户需要写一条 SQL。'],
      ['他没给表结构，我就假设最常见的 users 和 orders 两张表，orders 里有 user_id、amount、created_at。', '没有具体表结构，那就用经典的用户表和订单表举例。'],
      ['一个能覆盖常用语法的需求：统计 2024 年消费最多的前 5 位用户，会用到 JOIN、WHERE、GROUP BY、HAVING、ORDER BY、LIMIT。', '查询“2024 年消费总额前五的用户”就能把 JOIN、分组、过滤、排序都用上。'],
      ['等等，日期范围用半开区间 >= 和 <，比 BETWEEN 更不容易漏掉最后一天的数据。', '注意日期条件写成 >= 开始 且 < 下一年开始，避免时间部分导致遗漏。'],
      ['最后解释一下执行顺序，这是很多人搞混的地方，再提一句索引。\n', '再讲讲 SQL 的逻辑执行顺序和索引建议。\n'],
    ],
    answer: [
      ['\n\n## SQL 查询示例\n\n', '\n\n## 用 SQL 统计消费最多的用户\n\n'],
      ['假设有 `users(id, name)` 和 `orders(id, user_id, amount, created_at)` 两张表，查询 **2024 年消费总额超过 1000 的前 5 位用户**：\n\n', '以 `users` 和 `orders` 两张表为例，找出 **2024 年累计消费最高的 5 位用户**（且总额大于 1000）：\n\n'],
      [sqlQuery + '\n\n'],
      [
        '### 逻辑执行顺序\n\n1. `FROM` / `JOIN`：连接两张表\n2. `WHERE`：过滤出 2024 年的订单\n3. `GROUP BY`：按用户分组\n4. `HAVING`：过滤分组结果\n5. `SELECT`：计算输出列\n6. `ORDER BY` → `LIMIT`：排序并取前 5\n\n',
        '### 执行顺序说明\n\n1. **FROM / JOIN** 先确定数据来源\n2. **WHERE** 过滤行（不能用聚合函数）\n3. **GROUP BY** 分组\n4. **HAVING** 过滤分组（可以用聚合函数）\n5. **SELECT** 生成列和别名\n6. **ORDER BY** 排序，**LIMIT** 截取\n\n',
      ],
      ['数据量大时，给过滤条件加索引：\n\n' + sqlIndex + '\n', '如果订单表很大，可以加一个索引加速日期过滤：\n\n' + sqlIndex + '\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user needs a SQL query: "{question}". ', '\nOkay, a SQL question. '],
      ["No schema given, so I'll assume the classic users and orders tables, with user_id, amount and created_at on orders. ", 'Without a schema, users and orders are the natural example. '],
      ['A query that shows the common clauses: the top 5 customers by 2024 spending — JOIN, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT. ', '"Top five spenders in 2024" uses joins, grouping, filtering and sorting all at once. '],
      ['Wait, for the date range a half-open interval (>= and <) is safer than BETWEEN, which can miss the last day when there is a time part. ', 'Date filter as >= start and < next start, so timestamps on Dec 31 are not lost. '],
      ['Then the logical order of execution — people often get that wrong — and an index tip.\n', 'Explain execution order and indexing.\n'],
    ],
    answer: [
      ['\n\n## SQL Query Example\n\n', '\n\n## Finding the Top Customers with SQL\n\n'],
      ['Given `users(id, name)` and `orders(id, user_id, amount, created_at)`, this finds the **top 5 users who spent more than 1000 in 2024**:\n\n', 'Using `users` and `orders`, here are the **five customers with the highest 2024 spending** (above 1000):\n\n'],
      [sqlQuery + '\n\n'],
      [
        '### Logical Order of Execution\n\n1. `FROM` / `JOIN`: combine the tables\n2. `WHERE`: keep only 2024 orders\n3. `GROUP BY`: one group per user\n4. `HAVING`: filter the groups\n5. `SELECT`: compute the output columns\n6. `ORDER BY` → `LIMIT`: sort and take 5\n\n',
        '### How It Runs\n\n1. **FROM / JOIN** picks the data\n2. **WHERE** filters rows (no aggregates allowed)\n3. **GROUP BY** groups them\n4. **HAVING** filters groups (aggregates allowed)\n5. **SELECT** builds columns and aliases\n6. **ORDER BY** sorts, **LIMIT** trims\n\n',
      ],
      ['On a large table, index the filter column:\n\n' + sqlIndex + '\n', 'If `orders` is big, an index speeds up the date filter:\n\n' + sqlIndex + '\n'],
    ],
  },
};

/** "git 怎么撤销提交" / "git commands for branches and undo". */
export const git: Scenario = {
  id: 'git',
  match: [/\bgit\b|github|gitlab/, /git (commit|push|pull|merge|rebase|reset|revert|branch|checkout|switch|stash|log|clone|status)|合并冲突|merge conflict|撤销(提交|commit)|回滚|rebase|cherry-pick|reflog|stash/],
  zh: {
    thinking: [
      ['\n用户问 Git 的用法：“{question}”。', '\n嗯，用户在问 Git 命令。'],
      ['先给日常工作流：建分支、暂存、提交、推送、同步主干。', '最实用的是一套日常流程：switch -c、add、commit、push、pull --rebase。'],
      ['“撤销”是 Git 里最让人头疼的，按场景列一张表最清楚：工作区、暂存区、本地提交、已推送的提交，处理方式都不一样。', '撤销操作要分情况：还没 add、已经 add、已经 commit、已经 push，各有各的命令。'],
      ['等等，git reset --hard 和 force push 有风险，一定要加警告，已经推送的提交应该用 revert。', '要提醒：对别人已经拉取的提交不要改历史，用 git revert 生成反向提交。'],
      ['新版 Git 推荐 git switch / git restore 代替 checkout，我就用新命令。\n', '用 switch 和 restore 这些新命令，更直观。\n'],
    ],
    answer: [
      ['\n\n## Git 常用命令速查\n\n', '\n\n## Git 日常用法\n\n'],
      ['### 日常工作流\n\n' + gitDaily + '\n\n'],
      [
        '### 各种“撤销”\n\n| 场景 | 命令 |\n| --- | --- |\n| 丢弃工作区的修改 | `git restore <file>` |\n| 取消暂存（保留修改） | `git restore --staged <file>` |\n| 修改最后一次提交的信息 | `git commit --amend` |\n| 撤销最后一次提交，保留代码 | `git reset --soft HEAD~1` |\n| 撤销已推送的提交 | `git revert <commit>` |\n\n',
      ],
      ['> ⚠️ `git reset --hard` 会丢弃未提交的修改；对已经推送、别人可能拉取过的提交，请用 `git revert`，不要改写历史后强推。\n', '> ⚠️ 不要对共享分支使用 `reset --hard` 加 `push --force`，用 `git revert` 更安全。误操作后可以先用 `git reflog` 找回提交。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about Git: "{question}". ', '\nOkay, a question about Git commands. '],
      ['Start with the everyday workflow: branch, stage, commit, push, sync with main. ', 'The most useful thing is a daily loop: switch -c, add, commit, push, pull --rebase. '],
      ['"Undo" is the most confusing part of Git. A table by situation is clearest: working tree, staging area, local commit, pushed commit — each needs a different command. ', 'Undoing depends on where the change is: not added, added, committed, or pushed. '],
      ['Wait — reset --hard and force pushes are dangerous; I need a warning. Pushed commits should be reverted. ', "Must warn: don't rewrite history others have pulled; use git revert. "],
      ["Modern Git has switch and restore instead of checkout; I'll use those.\n", 'Use the newer switch/restore commands, they are clearer.\n'],
    ],
    answer: [
      ['\n\n## Git Cheat Sheet\n\n', '\n\n## Everyday Git\n\n'],
      ['### Daily Workflow\n\n' + gitDaily + '\n\n'],
      [
        '### Undoing Things\n\n| Situation | Command |\n| --- | --- |\n| Discard changes in the working tree | `git restore <file>` |\n| Unstage (keep the changes) | `git restore --staged <file>` |\n| Fix the last commit message | `git commit --amend` |\n| Undo the last commit, keep the code | `git reset --soft HEAD~1` |\n| Undo a commit that is already pushed | `git revert <commit>` |\n\n',
      ],
      ['> ⚠️ `git reset --hard` throws away uncommitted work. For commits others may have pulled, use `git revert` rather than rewriting history and force-pushing.\n', "> ⚠️ Don't `reset --hard` and `push --force` on shared branches; `git revert` is safer. If something goes wrong, `git reflog` can usually find the lost commit.\n"],
    ],
  },
};

/** "Docker 入门" / "docker basics". */
export const docker: Scenario = {
  id: 'docker',
  match: [/docker|dockerfile/, /dockerfile|docker[ -]compose|容器|镜像|container/],
  zh: {
    thinking: [
      ['\n用户想了解 Docker：“{question}”。', '\n嗯，用户在问 Docker 入门。'],
      ['先把几个核心概念讲清楚：镜像、容器、Dockerfile、仓库。镜像像“类”，容器像“实例”，这个比喻挺好懂。', '核心概念：镜像是只读模板，容器是镜像运行起来的实例，Dockerfile 描述怎么构建镜像。'],
      ['然后给一个 Node 应用的 Dockerfile 示例，先复制 package.json 再安装依赖，这样能利用构建缓存。', '示例用一个 Node.js 服务，注意 COPY 的顺序：先装依赖再复制代码，缓存更有效。'],
      ['等等，还要说明容器是临时的，数据要放到 volume 里，否则删了容器数据就没了。', '常用命令列一下：build、run、ps、logs、exec、stop。数据持久化要提 volume。'],
      ['用列表讲概念，代码块放 Dockerfile 和命令。\n', '概念 + Dockerfile + 命令，三部分。\n'],
    ],
    answer: [
      ['\n\n## Docker 入门 🐳\n\n', '\n\n## Docker 基础知识 🐳\n\n'],
      [
        '### 核心概念\n\n- **镜像（Image）**：只读的模板，包含运行应用所需的一切\n- **容器（Container）**：镜像运行起来的实例，彼此隔离\n- **Dockerfile**：描述如何构建镜像的脚本\n- **仓库（Registry）**：存放镜像的地方，比如 Docker Hub\n- **数据卷（Volume）**：持久化数据，容器删除后数据仍在\n\n',
        '### 几个关键概念\n\n- **镜像**：应用及其依赖的打包，类似“类”\n- **容器**：镜像的运行实例，类似“对象”\n- **Dockerfile**：构建镜像的步骤\n- **Registry**：镜像仓库，如 Docker Hub\n- **Volume**：把数据存在容器之外\n\n',
      ],
      ['### Dockerfile 示例（Node.js 应用）\n\n' + dockerfile + '\n\n'],
      ['### 常用命令\n\n' + dockerCommands + '\n\n'],
      ['> 💡 先 `COPY package*.json` 再 `npm ci`，最后才复制源码：只要依赖没变，重新构建时就能复用缓存层，速度快很多。\n', '> 💡 容器是“用完即弃”的，数据库等需要保存的数据请挂载 **volume**，例如 `-v pgdata:/var/lib/postgresql/data`。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to learn Docker: "{question}". ', '\nOkay, Docker basics. '],
      ['Get the core concepts straight first: image, container, Dockerfile, registry. Image is like a class, container like an instance — that analogy works. ', 'Key ideas: an image is a read-only template, a container is a running instance, a Dockerfile describes the build. '],
      ['Then a Dockerfile for a Node app. Copy package.json and install before copying the source, to use the build cache. ', 'Example: a Node.js service. The COPY order matters for layer caching. '],
      ["Wait, containers are disposable — data belongs in a volume, or it is gone when the container is removed. ", 'List the everyday commands: build, run, ps, logs, exec, stop. Mention volumes for persistence. '],
      ['Concepts in a list, Dockerfile and commands in code blocks.\n', 'Concepts, Dockerfile, commands. Three parts.\n'],
    ],
    answer: [
      ['\n\n## Docker Basics 🐳\n\n', '\n\n## Getting Started with Docker 🐳\n\n'],
      [
        '### Core Concepts\n\n- **Image**: a read-only template with everything the app needs to run\n- **Container**: a running, isolated instance of an image\n- **Dockerfile**: the recipe for building an image\n- **Registry**: where images are stored, such as Docker Hub\n- **Volume**: persistent storage that outlives containers\n\n',
        '### Key Ideas\n\n- **Image**: your app plus its dependencies, packaged — like a class\n- **Container**: a running image — like an object\n- **Dockerfile**: the build steps\n- **Registry**: an image store, e.g. Docker Hub\n- **Volume**: data kept outside the container\n\n',
      ],
      ['### Example Dockerfile (Node.js app)\n\n' + dockerfile + '\n\n'],
      ['### Everyday Commands\n\n' + dockerCommands + '\n\n'],
      ["> 💡 Copy `package*.json` and run `npm ci` before copying the source: as long as dependencies don't change, rebuilds reuse the cached layer and are much faster.\n", '> 💡 Containers are disposable. Keep databases and other state in a **volume**, e.g. `-v pgdata:/var/lib/postgresql/data`.\n'],
    ],
  },
};
