import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const sklearnCode = fence('python', String.raw`
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

model = RandomForestClassifier(n_estimators=100, random_state=42)
model.fit(X_train, y_train)                              # learn from labelled examples
print(accuracy_score(y_test, model.predict(X_test)))   # accuracy on unseen data
`);

/** "什么是机器学习" / "explain machine learning". */
export const machineLearning: Scenario = {
  id: 'machine-learning',
  match: [/机器学习|machine learning|\bml\b|深度学习|deep learning|神经网络|neural net/, /监督学习|无监督|强化学习|supervised|unsupervised|reinforcement|过拟合|overfitting|scikit|sklearn|训练集|training data/],
  zh: {
    thinking: [
      ['\n用户问机器学习：“{question}”。', '\n嗯，用户想了解什么是机器学习。'],
      ['核心思想：不是人写规则，而是让程序从数据中自己“学”出规律，然后用来预测新数据。', '一句话：从数据中学习模式，而不是手写 if-else 规则。'],
      ['分类要讲三种：监督学习、无监督学习、强化学习，各举一个例子，用嵌套列表。', '主要类型：监督（有标签）、无监督（无标签）、强化（靠奖励），每种配个例子。'],
      ['等等，再给一个能跑的小例子会更好。scikit-learn 的鸢尾花分类只要十几行。', '可以用 sklearn 写个鸢尾花分类，让他直观看到训练和预测。'],
      ['最后提一下常见流程和过拟合，别写太长。\n', '补充一下典型工作流程，收尾。\n'],
    ],
    answer: [
      ['\n\n## 什么是机器学习？\n\n', '\n\n## 机器学习入门 🤖\n\n'],
      ['**机器学习**（Machine Learning）是人工智能的一个分支：不是由人手写规则，而是让计算机**从数据中学习规律**，再用学到的模型对新数据做预测或决策。\n\n', '传统编程是“规则 + 数据 → 答案”，**机器学习**则是“数据 + 答案 → 规则”：模型从大量样本中自己总结出规律。\n\n'],
      [
        '### 主要类型\n\n1. **监督学习**：数据带有标签\n   - 分类：判断邮件是不是垃圾邮件\n   - 回归：预测房价\n2. **无监督学习**：数据没有标签\n   - 聚类：用户分群\n   - 降维：数据可视化\n3. **强化学习**：通过奖励和惩罚学习策略\n   - 例子：下棋、机器人控制\n\n',
      ],
      ['### 一个小例子\n\n' + sklearnCode + '\n\n'],
      [
        '### 典型流程\n\n收集数据 → 清洗和特征工程 → 划分训练集 / 测试集 → 训练模型 → 评估 → 部署。\n\n> 💡 模型在训练集上表现很好、在新数据上却很差，叫做**过拟合**。测试集必须是模型训练时没见过的数据。\n',
        '### 常见流程\n\n数据收集 → 预处理 → 训练 → 评估 → 上线，然后持续监控效果。\n\n> 💡 深度学习是机器学习的一个子领域，使用多层神经网络，特别擅长图像、语音和文本。\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about machine learning: "{question}". ', '\nOkay, they want to know what machine learning is. '],
      ['Core idea: instead of writing rules by hand, the program learns patterns from data and uses them to predict new cases. ', 'In one line: learn patterns from data rather than hand-coding if-else rules. '],
      ['Three kinds to cover: supervised, unsupervised, reinforcement — each with an example, as a nested list. ', 'Main types: supervised (labels), unsupervised (no labels), reinforcement (rewards), with examples. '],
      ['Wait, a tiny runnable example would help. Iris classification with scikit-learn is a dozen lines. ', 'An sklearn iris example will show training and prediction concretely. '],
      ["Then the usual workflow and overfitting. Don't make it too long.\n", 'Add the typical workflow and wrap up.\n'],
    ],
    answer: [
      ['\n\n## What Is Machine Learning?\n\n', '\n\n## Machine Learning in a Nutshell 🤖\n\n'],
      ['**Machine learning** is a branch of AI where, instead of people writing the rules, computers **learn patterns from data** and use the resulting model to make predictions or decisions about new data.\n\n', 'Traditional programming is "rules + data → answers". **Machine learning** flips it: "data + answers → rules". The model works out the patterns from many examples.\n\n'],
      [
        '### Main Types\n\n1. **Supervised learning**: the data has labels\n   - Classification: is this email spam?\n   - Regression: what will this house sell for?\n2. **Unsupervised learning**: no labels\n   - Clustering: customer segments\n   - Dimensionality reduction: visualising data\n3. **Reinforcement learning**: learning a strategy from rewards and penalties\n   - Examples: games, robot control\n\n',
      ],
      ['### A Small Example\n\n' + sklearnCode + '\n\n'],
      [
        '### The Usual Workflow\n\nCollect data → clean it and build features → split into training and test sets → train → evaluate → deploy.\n\n> 💡 A model that does great on training data but poorly on new data is **overfitting**. Always evaluate on data the model never saw during training.\n',
        '### Typical Steps\n\nGather data → preprocess → train → evaluate → ship, then keep monitoring.\n\n> 💡 Deep learning is a subfield of machine learning that uses many-layered neural networks; it excels at images, speech and text.\n',
      ],
    ],
  },
};

/** "区块链是什么" / "explain blockchain". */
export const blockchain: Scenario = {
  id: 'blockchain',
  match: [/区块链|blockchain|比特币|bitcoin|以太坊|ethereum|web3/, /共识|consensus|工作量证明|权益证明|proof of (work|stake)|挖矿|mining|智能合约|smart contracts?|去中心化|decentrali[sz]ed|分布式账本|ledger/],
  zh: {
    thinking: [
      ['\n用户问区块链：“{question}”。', '\n嗯，用户想知道区块链是怎么回事。'],
      ['最简单的说法：一个由很多节点共同维护、只能追加、难以篡改的账本。', '本质是分布式账本：数据按区块打包，每个区块记录前一个区块的哈希，串成一条链。'],
      ['为什么难以篡改？因为改了某个区块，它的哈希就变了，后面所有区块都对不上。还需要共识机制决定谁来记账：工作量证明、权益证明。', '防篡改靠哈希链，谁来记账靠共识机制。比特币用 PoW，以太坊 2022 年转向了 PoS。'],
      ['等等，也要客观一点，说说它的局限：性能低、能耗（PoW）、并不适合所有场景。', '要提醒一句：很多场景用普通数据库就够了，区块链不是万能的。'],
      ['结构：定义 → 工作原理（编号）→ 应用 → 局限，用引用块做提醒。\n', '用列表和一个引用块，就这样写。\n'],
    ],
    answer: [
      ['\n\n## 什么是区块链？\n\n', '\n\n## 区块链通俗解释 ⛓️\n\n'],
      ['**区块链**是一种由多个节点共同维护的**分布式账本**。数据被打包成一个个“区块”，每个区块都包含前一个区块的**哈希值**，从而连成一条链。\n\n', '可以把**区块链**想象成一本所有人都有副本的账本：只能往后追加，已经写下的记录几乎不可能被偷偷修改。\n\n'],
      [
        '### 工作原理\n\n1. **打包交易**：一段时间内的交易被打包进一个新区块\n2. **哈希链接**：新区块记录上一个区块的哈希，修改任一历史区块都会让后续哈希全部失效\n3. **共识机制**：节点通过规则决定谁来添加新区块\n   - **工作量证明（PoW）**：比特币，靠算力竞争\n   - **权益证明（PoS）**：以太坊（2022 年起），靠质押代币\n4. **全网同步**：每个节点都保存完整账本副本\n\n',
      ],
      ['### 应用场景\n\n- 加密货币（比特币、以太坊）\n- **智能合约**：自动执行的链上程序\n- 供应链溯源、数字身份\n\n', '### 典型应用\n\n- 数字货币与支付\n- **智能合约**和去中心化应用\n- 溯源、存证\n\n'],
      ['> ⚠️ 区块链并非万能：吞吐量低、存储成本高，PoW 还非常耗能。如果参与方彼此信任，一个普通数据库往往是更好的选择。\n', '> ⚠️ 客观地说，大多数业务系统并不需要区块链。只有在“多方互不信任、又需要共享同一份记录”时，它的优势才明显。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about blockchain: "{question}". ', '\nOkay, they want to know how blockchain works. '],
      ['Simplest framing: an append-only ledger maintained by many nodes that is very hard to tamper with. ', 'Essentially a distributed ledger: data in blocks, each block storing the hash of the previous one, forming a chain. '],
      ['Why tamper-resistant? Changing a block changes its hash, so every later block stops matching. And a consensus mechanism decides who adds blocks: proof of work, proof of stake. ', 'Hash links stop tampering; consensus decides who writes. Bitcoin uses PoW; Ethereum moved to PoS in 2022. '],
      ['Wait, I should be balanced and mention the limits: low throughput, energy use with PoW, not suitable for everything. ', "Worth saying that for most use cases a normal database is enough; blockchain isn't a silver bullet. "],
      ['Structure: definition, how it works (numbered), uses, limits in a blockquote.\n', 'Lists plus a blockquote caveat.\n'],
    ],
    answer: [
      ['\n\n## What Is a Blockchain?\n\n', '\n\n## Blockchain, Simply Explained ⛓️\n\n'],
      ['A **blockchain** is a **distributed ledger** maintained by many nodes. Data is grouped into "blocks", and each block contains the **hash** of the previous one, linking them into a chain.\n\n', 'Think of a **blockchain** as a ledger that everyone keeps a copy of: you can only append to it, and past entries are practically impossible to alter quietly.\n\n'],
      [
        '### How It Works\n\n1. **Bundle transactions**: recent transactions go into a new block\n2. **Link by hash**: each block stores the previous block\'s hash, so changing history breaks every later hash\n3. **Reach consensus**: nodes follow rules to agree on who adds the next block\n   - **Proof of work (PoW)**: Bitcoin, competing with computing power\n   - **Proof of stake (PoS)**: Ethereum since 2022, staking tokens\n4. **Replicate**: every full node keeps a copy of the ledger\n\n',
      ],
      ['### Uses\n\n- Cryptocurrencies (Bitcoin, Ethereum)\n- **Smart contracts**: programs that run on the chain\n- Supply-chain tracking, digital identity\n\n', '### Typical Applications\n\n- Digital currencies and payments\n- **Smart contracts** and decentralised apps\n- Provenance and timestamping\n\n'],
      ['> ⚠️ Blockchain is not a cure-all: throughput is low, storage is expensive and PoW uses a lot of energy. If the parties trust each other, an ordinary database is usually the better choice.\n', "> ⚠️ Honestly, most business systems don't need a blockchain. It shines only when parties that don't trust each other must share one record.\n"],
    ],
  },
};

/** "解方程 x² - 5x + 6 = 0" / "solve an equation step by step". */
export const mathEquation: Scenario = {
  id: 'math-equation',
  match: [/方程|equation|solve for x|解出 ?x|求 ?x/, /一元二次|一元一次|二次方程|quadratic|linear|求根公式|判别式|discriminant|因式分解|factori[sz]|x ?[²^]|\dx\b/],
  zh: {
    thinking: [
      ['\n用户让我解方程：“{question}”。', '\n嗯，这是一道解方程的题。'],
      ['我用最典型的一元二次方程 x² − 5x + 6 = 0 来演示步骤，同时带一个一元一次方程的例子。', '先拿 x² − 5x + 6 = 0 做例子，这类题最常见，再顺便讲一元一次方程。'],
      ['方法一：因式分解。找两个数，乘积是 6、和是 −5，也就是 −2 和 −3，所以 (x − 2)(x − 3) = 0。', '因式分解：−2 × −3 = 6，−2 + (−3) = −5，没问题，分解成 (x − 2)(x − 3)。'],
      ['方法二：求根公式验证。判别式 Δ = 25 − 24 = 1，x = (5 ± 1) / 2，得到 3 和 2。对上了。', '再用公式法核对：Δ = b² − 4ac = 25 − 24 = 1 > 0，两个不等实根，(5 ± 1)/2 = 3 或 2。'],
      ['等等，最后要代回去检验：3² − 15 + 6 = 0 ✓，2² − 10 + 6 = 0 ✓。\n', '代入检验一下：x = 2 时 4 − 10 + 6 = 0，x = 3 时 9 − 15 + 6 = 0，都对。\n'],
    ],
    answer: [
      ['\n\n## 解方程：x² − 5x + 6 = 0\n\n', '\n\n## 例题：解 x² − 5x + 6 = 0\n\n'],
      [
        '### 方法一：因式分解\n\n1. 找两个数，**乘积为 6**、**和为 −5**：−2 和 −3\n2. 分解：(x − 2)(x − 3) = 0\n3. 所以 x − 2 = 0 或 x − 3 = 0\n4. 解得 **x₁ = 2，x₂ = 3**\n\n',
      ],
      [
        '### 方法二：求根公式\n\n对于 ax² + bx + c = 0，x = (−b ± √(b² − 4ac)) / 2a。\n\n- a = 1，b = −5，c = 6\n- 判别式 Δ = (−5)² − 4 × 1 × 6 = 25 − 24 = **1**\n- x = (5 ± 1) / 2，即 **x = 3** 或 **x = 2**\n\n',
      ],
      ['### 检验\n\n- x = 2：4 − 10 + 6 = 0 ✓\n- x = 3：9 − 15 + 6 = 0 ✓\n\n'],
      ['> 💡 一元一次方程更简单，例如 3x + 7 = 22：两边减 7 得 3x = 15，再除以 3 得 **x = 5**。\n\n如果你有具体的题目，把方程发给我，我一步步帮你解 😊', '> 💡 判别式 Δ > 0 有两个不等实根，Δ = 0 有两个相等实根，Δ < 0 没有实数根。\n\n把你的方程发给我，我可以按同样的步骤来解 😊'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants me to solve an equation: "{question}". ', '\nOkay, an equation to solve. '],
      ["I'll demonstrate with the classic quadratic x² − 5x + 6 = 0, and mention a linear example too. ", 'x² − 5x + 6 = 0 is the standard example; a linear one can go in a tip. '],
      ['Method one, factoring: two numbers with product 6 and sum −5 — that is −2 and −3, so (x − 2)(x − 3) = 0. ', 'Factoring: −2 × −3 = 6 and −2 + (−3) = −5. Good, (x − 2)(x − 3). '],
      ['Method two, the quadratic formula, as a check: discriminant 25 − 24 = 1, x = (5 ± 1)/2, so 3 and 2. Matches. ', 'Check with the formula: Δ = b² − 4ac = 25 − 24 = 1 > 0, two distinct real roots, (5 ± 1)/2 = 3 or 2. '],
      ['Wait, I should substitute back: 9 − 15 + 6 = 0 ✓ and 4 − 10 + 6 = 0 ✓.\n', 'Verify: x = 2 gives 4 − 10 + 6 = 0; x = 3 gives 9 − 15 + 6 = 0. Both fine.\n'],
    ],
    answer: [
      ['\n\n## Solving x² − 5x + 6 = 0\n\n', '\n\n## Worked Example: x² − 5x + 6 = 0\n\n'],
      [
        '### Method 1: Factoring\n\n1. Find two numbers whose **product is 6** and **sum is −5**: −2 and −3\n2. Factor: (x − 2)(x − 3) = 0\n3. So x − 2 = 0 or x − 3 = 0\n4. Therefore **x = 2 or x = 3**\n\n',
      ],
      [
        '### Method 2: The Quadratic Formula\n\nFor ax² + bx + c = 0, x = (−b ± √(b² − 4ac)) / 2a.\n\n- a = 1, b = −5, c = 6\n- Discriminant Δ = (−5)² − 4 × 1 × 6 = 25 − 24 = **1**\n- x = (5 ± 1) / 2, so **x = 3** or **x = 2**\n\n',
      ],
      ['### Check\n\n- x = 2: 4 − 10 + 6 = 0 ✓\n- x = 3: 9 − 15 + 6 = 0 ✓\n\n'],
      ['> 💡 Linear equations are simpler. For 3x + 7 = 22: subtract 7 to get 3x = 15, then divide by 3: **x = 5**.\n\nSend me your exact equation and I will work through it step by step 😊', '> 💡 If Δ > 0 there are two distinct real roots, if Δ = 0 one repeated root, and if Δ < 0 no real roots.\n\nShare your equation and I can solve it the same way 😊'],
    ],
  },
};
