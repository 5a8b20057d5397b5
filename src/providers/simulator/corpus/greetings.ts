import type { Scenario } from '../corpus-types.js';

/** "hello", "你好", "hi": a short, warm greeting back with an offer to help. */
export const greeting: Scenario = {
  id: 'greeting',
  match: [/^\s*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening))\b/, /你好|您好|嗨|哈喽|哈啰|早上好|下午好|晚上好|在吗/],
  zh: {
    thinking: [
      ['\n嗯，用户说了“{question}”，这是在打招呼。', '\n好的，用户发来“{question}”，看起来只是简单的问候。'],
      ['他还没有提出具体的问题，所以不需要长篇大论。', '目前没有具体需求，回复太长反而显得啰嗦。'],
      ['我应该友好地回应，然后问问有什么可以帮忙的。', '先热情地打个招呼，再主动询问对方需要什么帮助。'],
      ['要不要加个表情？加一个笑脸会显得更亲切。', '等等，是不是可以加个 emoji？一个挥手的表情应该挺自然。'],
      ['也可以顺便列几件我能做的事，给他一点思路。', '或许可以简单提一下我擅长的几类事情，方便他开口。'],
      ['嗯，简短友好就好，就这么回复吧。\n', '好，保持简洁，就这样。\n'],
    ],
    answer: [
      ['\n\n你好！👋 ', '\n\n你好呀！😊 ', '\n\n嗨，你好！👋 '],
      ['有什么我可以帮你的吗？', '今天想聊点什么？', '有什么需要帮忙的，尽管说～'],
      [
        '\n\n我可以帮你：\n\n- **回答问题**：历史、科学、生活常识都可以\n- **写代码**：编写、解释、调试都行\n- **写作**：邮件、文章、总结、翻译\n',
        '\n\n比如说，我可以：\n\n- **解答疑问**：从天文地理到日常小事\n- **处理代码**：写函数、找 bug、讲原理\n- **帮你写东西**：邮件、作文、摘要、翻译\n',
      ],
      ['\n直接告诉我你的问题就好！', '\n随时开口就行 😊'],
    ],
  },
  en: {
    thinking: [
      ['\nOkay, the user said "{question}". That\'s a greeting. ', '\nAlright, the user just wrote "{question}" — a simple hello. '],
      ["There's no actual question yet, so I shouldn't dump a long answer on them. ", "They haven't asked anything specific, so a long reply would be overkill. "],
      ['Let me think... a friendly greeting back, then an offer to help. ', 'I should greet them back warmly and ask what they need. '],
      ['Wait, should I add an emoji? A small wave feels natural here. ', 'Maybe an emoji to keep it warm — a smiley should be fine. '],
      ['Maybe I can list a few things I can help with, so they have ideas. ', 'It could help to mention a few example tasks, briefly. '],
      ["Yeah, short and friendly. Alright, I'll go with that.\n", 'That sounds good. Let me keep it short.\n'],
    ],
    answer: [
      ['\n\nHello! 👋 ', '\n\nHi there! 😊 ', '\n\nHey! 👋 '],
      ['How can I help you today?', 'What can I do for you today?', 'What would you like to talk about?'],
      [
        '\n\nA few things I can help with:\n\n- **Questions** on almost any topic\n- **Code**: writing, explaining or debugging it\n- **Writing**: emails, essays, summaries, translations\n',
        '\n\nFor example, I can:\n\n- **Answer questions**, from history to science to everyday life\n- **Work with code**: write functions, find bugs, explain concepts\n- **Help you write**: emails, essays, summaries, translations\n',
      ],
      ['\nJust ask away!', '\nFeel free to ask anything. 😊'],
    ],
  },
  followUp: {
    zh: {
      thinking: [
        ['\n用户又说了“{question}”。', '\n嗯，用户再次打招呼：“{question}”。'],
        ['我们之前已经聊过 {turns} 轮了，上一个问题是“{previous}”。', '这不是第一轮对话了，之前已经有 {turns} 轮，上次问的是“{previous}”。'],
        ['他可能是想换个话题，也可能只是礼貌地重新开始。', '也许他想继续之前的话题，也许想问点新的。'],
        ['我应该友好回应，并问他是继续刚才的话题还是聊新的。\n', '那就热情回应一下，再问问要不要接着聊刚才的内容。\n'],
      ],
      answer: [
        ['\n\n又见面啦！😊 ', '\n\n你好呀，欢迎回来！👋 '],
        ['要继续聊刚才的“{previous}”吗？', '刚才我们聊到“{previous}”，要接着说吗？'],
        ['还是有新的问题？随时告诉我。', '如果有新问题，也可以直接问。'],
      ],
    },
    en: {
      thinking: [
        ['\nThe user says "{question}" again. ', '\nOkay, another greeting: "{question}". '],
        ['We already have {turns} earlier turns; the last question was "{previous}". ', 'This isn\'t the first turn — there were {turns} before, most recently "{previous}". '],
        ['Maybe they want to switch topics, or they are just being polite. ', 'They might want to continue, or start something new. '],
        ["I'll greet them back and ask whether to continue or start fresh.\n", 'A friendly hello plus a question about what is next should do.\n'],
      ],
      answer: [
        ['\n\nHello again! 😊 ', '\n\nWelcome back! 👋 '],
        ['Do you want to continue with "{previous}"?', 'Shall we pick up where we left off with "{previous}"?'],
        [' Or is there something new I can help with?', ' Or ask me something new — whatever you like.'],
      ],
    },
  },
};

/** "谢谢", "thanks", "bye": a short closing. */
export const thanksGoodbye: Scenario = {
  id: 'thanks-goodbye',
  match: [/谢谢|多谢|感谢|thanks|thank you|\bthx\b|\bty\b/, /再见|拜拜|回头见|晚安|\bbye\b|goodbye|see you|good ?night/],
  zh: {
    thinking: [
      ['\n用户说“{question}”，是在道谢或者告别。', '\n嗯，“{question}”——看起来对话要结束了。'],
      ['这时候不需要再给很多信息，简短回应就行。', '不用再展开新内容，礼貌收尾比较好。'],
      ['可以表达一下很高兴能帮上忙，再说欢迎随时回来。', '说声不客气，顺便告诉他有问题随时再来。'],
      ['要不要加个表情？一个笑脸或挥手挺合适的。\n', '加个 emoji 会更温暖一点，就这样。\n'],
    ],
    answer: [
      ['\n\n不客气！😊 ', '\n\n不用谢，很高兴能帮到你！😊 ', '\n\n别客气～ '],
      ['有任何问题随时再来找我。', '以后有需要随时问我就好。'],
      ['祝你一切顺利，再见！👋', '祝你今天愉快，拜拜！👋'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user said "{question}" — that\'s thanks or a goodbye. ', '\nOkay, "{question}". Sounds like they are wrapping up. '],
      ["No need for more information now; a short reply is best. ", "I shouldn't start a new topic here; a polite close is enough. "],
      ["I'll say I'm glad I could help and that they can come back any time. ", "Let me say you're welcome and invite them back. "],
      ['An emoji would keep it warm. A wave, maybe.\n', 'Short and friendly, with a smiley. Done.\n'],
    ],
    answer: [
      ["\n\nYou're welcome! 😊 ", '\n\nHappy to help! 😊 ', '\n\nAny time! '],
      ['If anything else comes up, just ask.', 'Feel free to come back whenever you need something.'],
      [' Have a great day! 👋', ' Take care, and goodbye! 👋'],
    ],
  },
};
