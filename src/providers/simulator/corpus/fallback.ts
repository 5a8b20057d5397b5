import type { Scenario } from '../corpus-types.js';

/** The generic answer when no scenario matches. It has no patterns: it is never matched, only fallen back to. */
export const fallback: Scenario = {
  id: 'fallback',
  match: [],
  zh: {
    thinking: [
      ['\n嗯，用户问的是：“{question}”。', '\n好的，用户的问题是“{question}”。'],
      ['我先想想他真正想知道的是什么，是一个具体的答案，还是一个思路？', '让我想想这个问题的核心是什么，他可能需要什么样的帮助。'],
      ['问题信息不算多，我最好先给出一个清晰的思考框架，再请他补充细节。', '等等，背景信息不太够，直接下结论可能不准确，先给通用的分析方法比较稳妥。'],
      ['可以分几步：明确目标、收集信息、比较方案、动手验证。', '结构上：先理解问题，再拆解，最后给出可以马上执行的建议。'],
      ['最后问问他具体的情况，这样下一轮能回答得更有针对性。\n', '结尾邀请他补充细节。\n'],
    ],
    answer: [
      ['\n\n关于“{question}”，我的思路如下：\n\n', '\n\n这是个好问题！关于“{question}”，可以这样来考虑：\n\n'],
      [
        '1. **明确目标**：你最终想达到什么结果？有没有时间、预算等限制？\n2. **收集信息**：先了解基本概念和常见做法，必要时参考可靠的资料\n3. **比较方案**：列出两三个可行的选项，分别写下优缺点\n4. **小步验证**：先用最小的代价试一试，再根据结果调整\n\n',
        '1. **先拆解问题**：把大问题分成几个可以单独回答的小问题\n2. **找到关键因素**：哪些条件最影响结果？\n3. **列出可选方案**，并比较各自的利弊\n4. **从最简单的一步开始**，边做边调整\n\n',
      ],
      ['如果你能多告诉我一些背景（比如具体场景、你已经尝试过什么），我可以给出更有针对性的建议 😊', '你可以补充一些细节，比如使用场景或遇到的具体困难，我再帮你深入分析。'],
    ],
  },
  en: {
    thinking: [
      ['\nHmm, the user asked: "{question}". ', '\nOkay, the question is "{question}". '],
      ['Let me think about what they actually need — a specific answer, or a way to approach it? ', "What's the core of this question, and what kind of help would be most useful? "],
      ["There isn't much context, so I'd better give a clear framework first and ask for details. ", 'Wait, without more background a firm conclusion could be wrong; a general approach is safer. '],
      ['Steps: clarify the goal, gather information, compare options, test in small steps. ', 'Structure: understand the problem, break it down, then give something actionable. '],
      ['And ask about their situation so the next answer can be more specific.\n', 'End by inviting more detail.\n'],
    ],
    answer: [
      ['\n\nHere is how I would approach "{question}":\n\n', '\n\nGood question! For "{question}", I would think about it like this:\n\n'],
      [
        '1. **Clarify the goal**: what result do you want, and are there limits on time or budget?\n2. **Gather information**: learn the basic concepts and common approaches from reliable sources\n3. **Compare options**: list two or three realistic choices with their pros and cons\n4. **Test in small steps**: try the cheapest version first, then adjust\n\n',
        '1. **Break it down** into smaller questions you can answer one at a time\n2. **Find the key factors** that most affect the outcome\n3. **List the options** and weigh their trade-offs\n4. **Start with the simplest step** and adjust as you go\n\n',
      ],
      ["If you share a bit more context — your situation, what you've already tried — I can give you a much more specific answer 😊", 'Feel free to add details, such as where this comes up or what is blocking you, and I will dig deeper.'],
    ],
  },
  followUp: {
    zh: {
      thinking: [
        ['\n用户接着说：“{question}”。', '\n嗯，用户的新消息是“{question}”。'],
        ['上一轮他问的是“{previous}”，这应该是在追问或者补充。', '结合上一个问题“{previous}”来看，他是想继续深入。'],
        ['我们已经聊了 {turns} 轮，我应该在之前的基础上往深处讲，而不是重复。', '前面已经有 {turns} 轮对话了，别重复说过的内容，要给新的信息。'],
        ['可以从实际例子、常见误区和下一步行动三个方面展开。\n', '就从具体例子、容易踩的坑、下一步建议这几个方面补充。\n'],
      ],
      answer: [
        ['\n\n好的，我们接着“{previous}”这个话题再深入一点：\n\n', '\n\n没问题，在刚才“{previous}”的基础上继续展开：\n\n'],
        [
          '- **举个例子**：先从一个最小、最具体的场景入手，往往比空想更容易找到答案\n- **常见误区**：一开始就追求完美方案，反而迟迟无法开始\n- **下一步**：选一个最容易验证的点，今天就试一试\n\n',
          '- **具体化**：把问题放到一个真实的场景里，会更容易判断\n- **避免的坑**：信息收集太久却不行动\n- **行动建议**：定一个小目标，做完再回顾调整\n\n',
        ],
        ['还有哪一部分想让我展开讲？', '你最关心的是哪一点？我可以再详细说说。'],
      ],
    },
    en: {
      thinking: [
        ['\nThe user follows up with: "{question}". ', '\nOkay, the new message is "{question}". '],
        ['Last turn they asked "{previous}", so this is a follow-up or clarification. ', 'Given the previous question, "{previous}", they want to go deeper. '],
        ["We've had {turns} turns so far; I should build on what I said rather than repeat it. ", 'There were {turns} earlier turns; no repeating, only new information. '],
        ['I could expand with a concrete example, common mistakes and a next step.\n', 'Add an example, the usual pitfalls, and what to do next.\n'],
      ],
      answer: [
        ['\n\nSure, let\'s go deeper into "{previous}":\n\n', '\n\nOf course — building on "{previous}":\n\n'],
        [
          '- **An example**: start from the smallest, most concrete case; it usually reveals the answer faster than theory\n- **A common mistake**: waiting for the perfect plan and never starting\n- **Next step**: pick the easiest thing to test and try it today\n\n',
          "- **Make it concrete**: put the question in a real situation and it becomes easier to judge\n- **Pitfall to avoid**: researching for so long that you never act\n- **What to do**: set one small goal, finish it, then review\n\n",
        ],
        ['Which part would you like me to expand on?', 'What matters most to you here? I can go into more detail.'],
      ],
    },
  },
};
