import type { Scenario } from '../corpus-types.js';

/** "翻译成英文" / "translate this into Chinese". */
export const translation: Scenario = {
  id: 'translation',
  match: [/翻译|译成|译为|translat/, /(成|为|into|to) ?(英文|英语|中文|汉语|日语|english|chinese|japanese|french)/],
  zh: {
    thinking: [
      ['\n用户要我翻译：“{question}”。', '\n嗯，这是一个翻译请求。'],
      ['先理解原文的意思和语气，再考虑目标语言里最自然的说法，而不是逐字对应。', '翻译要做到“信、达、雅”：意思准确、表达通顺、风格得体。'],
      ['以“今天天气很好，我们去公园散步吧”为例：直译是 “The weather is very good today”，但英语母语者更常说 “It’s a lovely day”。', '比如“我们去公园散步吧”，用 “Let’s go for a walk in the park” 最自然。'],
      ['可以给一个自然的版本和一个更正式的版本，再说明用词差异。\n', '给出两种译法，解释一下区别。\n'],
    ],
    answer: [
      ['\n\n以“今天天气很好，我们去公园散步吧。”为例：\n\n', '\n\n好的，示例翻译如下：\n\n**原文**：今天天气很好，我们去公园散步吧。\n\n'],
      ['| 风格 | 译文 |\n| --- | --- |\n| 口语、自然 | It’s a lovely day — let’s go for a walk in the park. |\n| 较正式 | The weather is pleasant today. Shall we take a walk in the park? |\n\n'],
      ['**说明**：\n\n- “天气很好”不必直译成 *very good*，*lovely* 或 *pleasant* 更地道\n- “……吧”表示建议，用 *let’s* 或 *shall we* 都可以\n\n把你需要翻译的完整内容发给我，我会按同样的方式处理 😊', '**要点**：\n\n- 英语里描述好天气常用 *lovely*、*beautiful*、*nice*\n- 中文的“吧”对应英文里的建议句式 *let’s…* / *shall we…?*\n\n请把完整原文发给我，我可以帮你翻译并解释关键用词 😊'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a translation: "{question}". ', '\nOkay, a translation request. '],
      ['First understand the meaning and tone of the original, then find the most natural phrasing in the target language rather than a word-for-word match. ', 'A good translation is accurate, fluent and keeps the register of the original. '],
      ['Take "It\'s a lovely day — let\'s go for a walk in the park." In Chinese, 今天天气很好，我们去公园散步吧 sounds natural; 可爱的一天 would be a literal mistake. ', 'For "let\'s go for a walk", the natural Chinese is 我们去散散步吧, with 吧 marking a suggestion. '],
      ["I'll give a natural version and a more formal one, and explain the word choices.\n", 'Two versions, plus a note on the differences.\n'],
    ],
    answer: [
      ['\n\nUsing "It\'s a lovely day — let\'s go for a walk in the park." as an example:\n\n', '\n\nSure, here is an example:\n\n**Original**: It\'s a lovely day — let\'s go for a walk in the park.\n\n'],
      ['| Style | Translation |\n| --- | --- |\n| Casual, natural | 今天天气真好，我们去公园散散步吧。 |\n| More formal | 今日天气宜人，我们不妨去公园散步。 |\n\n'],
      ['**Notes**:\n\n- *Lovely day* is about the weather, so 天气真好 works better than a literal 可爱的一天\n- The particle 吧 turns the sentence into a friendly suggestion, like *let\'s*\n\nSend me the full text you need translated and I will do the same for it 😊', '**Key points**:\n\n- Chinese usually talks about the weather (天气) where English says *day*\n- 吧 softens the sentence into a suggestion, matching *let\'s*\n\nPaste the complete text and I can translate it and explain the key choices 😊'],
    ],
  },
};

/** "总结一下这篇文章" / "summarise this text". */
export const summarise: Scenario = {
  id: 'summarise',
  match: [/总结|概括|摘要|归纳|summari[sz]|summary|tl;?dr/, /(这|下面|以下)(篇|段|些)?(文章|内容|文字|材料)|the (following|text|article|passage)|this (text|article|passage)/],
  zh: {
    thinking: [
      ['\n用户让我总结内容：“{question}”。', '\n嗯，需要做一个摘要。'],
      ['先通读，找出中心论点，再找支撑论点的几个关键理由，细节和例子可以省略。', '摘要的关键是抓主旨：作者想说什么、理由是什么、结论是什么。'],
      ['这段内容讲的是远程办公：好处是省去通勤、时间灵活；问题是沟通成本高、容易孤独；结论是混合办公可能是更好的折中。', '材料的核心是远程办公的利与弊，最后作者倾向于混合模式。'],
      ['格式上先给一句话总结，再列要点，方便快速阅读。\n', '一句话概括 + 要点列表，简洁明了。\n'],
    ],
    answer: [
      ['\n\n**一句话总结**：远程办公提高了灵活性，但也带来了沟通和归属感的问题，混合办公可能是更平衡的选择。\n\n', '\n\n**核心观点**：远程办公有利有弊，作者认为“部分时间在家、部分时间到岗”的混合模式更可行。\n\n'],
      ['**要点**：\n\n1. **优点**：节省通勤时间，工作时间更灵活，员工满意度提高\n2. **缺点**：即时沟通变难，团队协作效率下降，容易产生孤独感\n3. **结论**：混合办公兼顾灵活性与协作，越来越多的公司开始采用\n\n', '**主要内容**：\n\n1. 远程办公让员工摆脱通勤、自主安排时间\n2. 但线上沟通效率较低，新人融入团队更困难\n3. 因此作者建议采用混合模式，并定期安排线下交流\n\n'],
      ['需要更短的版本（比如 50 字以内），或者按段落逐一总结，都可以告诉我。', '如果需要调整长度或侧重点，随时告诉我。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a summary: "{question}". ', '\nOkay, I need to summarise the text. '],
      ['Read it through, find the central claim and the few reasons that support it; examples and details can go. ', 'The key to a summary is the gist: what the author claims, why, and what they conclude. '],
      ['The text is about remote work: benefits are no commute and flexible hours; problems are harder communication and isolation; the conclusion is that hybrid work may be the best compromise. ', 'The core is the pros and cons of remote work, with the author leaning toward a hybrid model. '],
      ['Format: a one-sentence summary first, then the key points.\n', 'One-line summary plus bullets for quick reading.\n'],
    ],
    answer: [
      ['\n\n**In one sentence:** remote work brings flexibility but also communication and belonging problems, so a hybrid model may strike the best balance.\n\n', '\n\n**Main point:** remote work has clear pros and cons, and the author argues that a hybrid arrangement is the most workable option.\n\n'],
      ['**Key points:**\n\n1. **Benefits**: no commute, flexible hours, higher employee satisfaction\n2. **Drawbacks**: slower communication, weaker collaboration, feelings of isolation\n3. **Conclusion**: hybrid work combines flexibility with teamwork, and more companies are adopting it\n\n', '**What it says:**\n\n1. Remote work frees people from commuting and lets them plan their own time\n2. But online communication is slower, and new hires struggle to integrate\n3. So the author recommends a hybrid model with regular in-person meetings\n\n'],
      ['Need it shorter (say, under 50 words) or summarised paragraph by paragraph? Just let me know.', 'Happy to adjust the length or focus if you need.'],
    ],
  },
};
