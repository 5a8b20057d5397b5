import type { Scenario } from '../corpus-types.js';

/** "帮我写一封邮件" / "write an email". */
export const email: Scenario = {
  id: 'email',
  match: [/邮件|e-?mail/, /(写|起草|回复).{0,6}(邮件|信)|(write|draft|compose|reply to).{0,20}(e-?mail|letter)|subject line|求职信|cover letter/],
  zh: {
    thinking: [
      ['\n用户让我写一封邮件：“{question}”。', '\n嗯，需要帮忙写邮件。'],
      ['具体场景没说清楚的话，我就写一封最常见的工作邮件：申请延期交付项目。', '场景不明确，就用一个典型的例子：因为需求变更，申请把截止日期推迟一周。'],
      ['邮件结构：主题要清楚，开头说明目的，中间给原因和新的时间安排，结尾表达感谢。', '要点：主题一眼能看懂、先说结论、给出原因和补救方案、礼貌收尾。'],
      ['等等，语气要专业但不卑微，主动提出补救方案会显得更负责。\n', '注意别写太长，三四段就好，方括号里留给他填的内容。\n'],
    ],
    answer: [
      ['\n\n下面是一封**申请项目延期**的工作邮件模板，方括号里的内容可以替换：\n\n', '\n\n给你一个常用的工作邮件示例（申请延期），可以按实际情况修改：\n\n'],
      ['---\n\n**主题**：关于[项目名称]交付时间调整的申请\n\n[王经理]，您好：\n\n由于客户在上周新增了[数据导出]功能的需求，为保证质量，我们希望将[项目名称]的交付时间从 **[6 月 10 日]** 调整到 **[6 月 17 日]**。\n\n目前核心功能已完成约 80%，剩余工作安排如下：\n\n- [6 月 12 日] 前完成新增功能开发\n- [6 月 15 日] 前完成测试和修复\n- [6 月 17 日] 正式交付\n\n如果时间上有困难，我们也可以先交付核心功能，新增部分随后补充。期待您的回复，谢谢！\n\n祝好，\n[你的名字]\n\n---\n\n'],
      ['**写作要点**：主题明确、先说结论、给出原因和新的计划、主动提供备选方案。需要改成英文版或换个场景，告诉我就行 😊', '**小贴士**：邮件越早发越好；给出具体日期比“尽快”更让人放心。需要其他场景的邮件（求职、感谢信、道歉信），随时告诉我。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants an email: "{question}". ', '\nOkay, I need to help write an email. '],
      ["The exact situation isn't clear, so I'll write the most common kind of work email: asking to extend a project deadline. ", 'Without details, a typical case works: requesting a one-week extension after a change in requirements. '],
      ['Structure: a clear subject line, the purpose up front, the reason and new timeline in the middle, thanks at the end. ', 'Key points: a subject that says it all, the request first, reasons and a plan, a polite close. '],
      ['Wait, the tone should be professional but not apologetic; offering a fallback plan shows ownership.\n', "Keep it to three or four short paragraphs, with brackets for the details they'll fill in.\n"],
    ],
    answer: [
      ["\n\nHere's a template for a **deadline extension request**; replace the parts in brackets:\n\n", '\n\nHere is a common work email (asking for an extension) you can adapt:\n\n'],
      ["---\n\n**Subject:** Request to adjust the delivery date for [Project Name]\n\nHi [Sarah],\n\nLast week the client added a new requirement for [data export]. To deliver it properly, we would like to move the [Project Name] delivery date from **[June 10]** to **[June 17]**.\n\nThe core features are about 80% complete. Here's the plan for the rest:\n\n- Finish the new feature by [June 12]\n- Complete testing and fixes by [June 15]\n- Deliver on [June 17]\n\nIf the new date is difficult, we can ship the core features on time and follow up with the new part shortly after. Thanks for considering this — I look forward to hearing from you.\n\nBest regards,\n[Your Name]\n\n---\n\n"],
      ['**Tips**: a clear subject, the request first, a reason and a concrete plan, and an alternative on offer. Want a different scenario or a Chinese version? Just ask 😊', '**Tip**: ask early, and give specific dates rather than "as soon as possible". I can also draft other emails — job applications, thank-you notes, apologies.'],
    ],
  },
};

/** "面试技巧" / "interview tips". */
export const interviewTips: Scenario = {
  id: 'interview-tips',
  match: [/面试|interview/, /面试(技巧|准备|注意|紧张|问题)|自我介绍|(tips|prepare|preparation|advice|questions).{0,20}interview|interview (tips|questions|prep)|star method|tell me about yourself/],
  zh: {
    thinking: [
      ['\n用户在问面试技巧：“{question}”。', '\n嗯，用户要准备面试了。'],
      ['可以按时间线组织：面试前、面试中、面试后，这样最有条理。', '分三个阶段讲：准备、现场、复盘。'],
      ['面试前：研究公司和岗位，准备自我介绍，用 STAR 法准备几个经历。等等，STAR 要展开解释一下：情境、任务、行动、结果。', '行为面试题最常用 STAR 法则，需要展开讲清楚四个字母分别是什么。'],
      ['面试中：听清问题再回答、不会的坦诚说思路；最后准备一两个反问的问题。面试后：发感谢信、复盘。\n', '现场注意表达和反问环节，结束后记得复盘。\n'],
    ],
    answer: [
      ['\n\n## 面试技巧 💼\n\n', '\n\n## 如何准备面试 💼\n\n'],
      [
        '### 面试前\n\n1. **研究公司和岗位**：产品、业务、岗位职责，把要求和自己的经历一一对应\n2. **准备自我介绍**：1–2 分钟，突出与岗位相关的经历\n3. **用 STAR 法准备案例**：\n   - **S**ituation：当时的情境\n   - **T**ask：你的任务\n   - **A**ction：你具体做了什么\n   - **R**esult：结果如何，最好有数据\n4. **模拟练习**：对着镜子或找朋友练几遍\n\n',
      ],
      [
        '### 面试中\n\n- 听清问题再回答，必要时可以确认一下题意\n- 不会的问题坦诚说明，并讲出你的思考过程\n- 注意语速和眼神交流，紧张是正常的\n- 准备 1–2 个**反问**，例如团队目前最大的挑战是什么\n\n',
        '### 现场表现\n\n- 回答先说结论，再展开细节\n- 遇到难题别慌，说出思路比沉默更好\n- 保持真诚，不要夸大经历\n- 最后的反问环节一定要准备，体现你的兴趣\n\n',
      ],
      ['### 面试后\n\n当天发一封简短的**感谢邮件**；无论结果如何，都把被问到的问题记下来复盘。祝你面试顺利！🍀', '### 结束之后\n\n及时复盘：哪些回答得好、哪些可以改进，并记录下来。祝你拿到心仪的 offer！🍀'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking for interview tips: "{question}". ', '\nOkay, they are preparing for an interview. '],
      ['A timeline structure works best: before, during and after the interview. ', 'Three phases: preparation, the interview itself, and the follow-up. '],
      ['Before: research the company and role, prepare an introduction, and prepare stories with the STAR method. Wait, I should spell STAR out: situation, task, action, result. ', 'Behavioural questions are best handled with STAR; I need to explain each letter. '],
      ['During: listen carefully, be honest about gaps and explain your reasoning, and prepare questions to ask. After: a thank-you note and a review.\n', 'Mention communication, questions for the interviewer, and reflecting afterwards.\n'],
    ],
    answer: [
      ['\n\n## Interview Tips 💼\n\n', '\n\n## How to Prepare for an Interview 💼\n\n'],
      [
        '### Before the Interview\n\n1. **Research the company and role**: products, business, responsibilities — map each requirement to your experience\n2. **Prepare your introduction**: 1–2 minutes, focused on relevant experience\n3. **Prepare stories with the STAR method**:\n   - **S**ituation: the context\n   - **T**ask: what you were responsible for\n   - **A**ction: what you actually did\n   - **R**esult: the outcome, ideally with numbers\n4. **Practise out loud**, with a friend or in front of a mirror\n\n',
      ],
      [
        '### During the Interview\n\n- Make sure you understand the question; it is fine to clarify\n- If you don\'t know something, say so and walk through how you would approach it\n- Mind your pace and eye contact; nerves are normal\n- Have 1–2 **questions to ask**, such as the team\'s biggest current challenge\n\n',
        '### In the Room\n\n- Lead with the answer, then add detail\n- On hard questions, thinking aloud beats silence\n- Be genuine; never exaggerate your experience\n- Always prepare questions for the end — they show real interest\n\n',
      ],
      ['### Afterwards\n\nSend a short **thank-you email** the same day, and note down the questions you were asked so you can review them. Good luck! 🍀', '### After the Interview\n\nReflect while it is fresh: what went well, what to improve, and write it down. Best of luck landing the offer! 🍀'],
    ],
  },
};
