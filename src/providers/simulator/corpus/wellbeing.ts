import type { Scenario } from '../corpus-types.js';

/** "失眠怎么办" / "how to sleep better". */
export const sleep: Scenario = {
  id: 'sleep',
  match: [/睡眠|失眠|睡不着|熬夜|入睡|\bsleep|insomnia/, /睡眠质量|作息|褪黑素|咖啡因|午睡|sleep (better|quality|schedule|hygiene)|fall asleep|melatonin|caffeine|\bnap\b/],
  zh: {
    thinking: [
      ['\n用户问睡眠的问题：“{question}”。', '\n嗯，用户睡不好，想要一些建议。'],
      ['成年人一般需要 7–9 小时睡眠。改善睡眠最有效的是规律作息，比任何技巧都重要。', '先说基本事实：成年人建议每晚 7 到 9 小时；最关键的是固定起床时间。'],
      ['其他要点：睡前少看屏幕、下午之后少喝咖啡、卧室保持暗和凉爽、睡不着别硬躺着。', '还要讲光照、咖啡因、运动和睡前习惯，以及“睡不着就起来”这个反直觉的建议。'],
      ['等等，我不是医生，要提醒：如果长期失眠超过三个月或者白天严重影响生活，应该去看医生。\n', '必须加一句：持续失眠要就医，不要自己长期吃安眠药。\n'],
    ],
    answer: [
      ['\n\n## 改善睡眠的建议 😴\n\n', '\n\n## 如何睡个好觉 😴\n\n'],
      ['成年人一般需要 **7–9 小时**睡眠。下面这些方法有比较充分的研究支持：\n\n'],
      [
        '1. **固定作息**：每天同一时间起床，周末也尽量不要相差超过 1 小时\n2. **控制咖啡因**：下午 2 点以后不喝咖啡、浓茶\n3. **睡前 1 小时远离屏幕**：蓝光和刺激性内容会推迟入睡\n4. **卧室环境**：暗、安静、凉爽（约 18–22℃）\n5. **白天多晒太阳、适量运动**，但睡前 2–3 小时避免剧烈运动\n6. **躺了 20 分钟还睡不着就起床**，做点放松的事，有困意再回床上\n\n',
        '1. **规律作息**：固定起床时间是调整生物钟最有效的方法\n2. **减少咖啡因和酒精**：酒精让人容易入睡，却会破坏后半夜的睡眠\n3. **睡前放松**：洗个热水澡、读纸质书、做几分钟深呼吸\n4. **床只用来睡觉**：不在床上刷手机、工作\n5. **白天接触自然光**，有助于晚上分泌褪黑素\n6. **午睡不超过 30 分钟**，且最好在下午 3 点前\n\n',
      ],
      ['> ⚠️ 以上是一般性建议，不能替代医生诊断。如果失眠持续超过 **3 个月**，或严重影响白天的工作和情绪，请及时就医。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about sleep: "{question}". ', "\nOkay, they aren't sleeping well and want advice. "],
      ['Adults generally need 7–9 hours. The single most effective habit is a consistent schedule — more than any trick. ', 'Basics first: 7 to 9 hours for adults, and above all a fixed wake-up time. '],
      ["Other points: less screen time before bed, no caffeine in the afternoon, a dark cool bedroom, and don't lie awake forever. ", 'Also light exposure, caffeine, exercise, a wind-down routine, and the counter-intuitive "get up if you can\'t sleep". '],
      ["Wait, I'm not a doctor. I should say that insomnia lasting more than three months, or that badly affects the day, needs a professional.\n", 'Must add: persistent insomnia deserves a doctor, not self-medication.\n'],
    ],
    answer: [
      ['\n\n## Tips for Better Sleep 😴\n\n', '\n\n## How to Sleep Better 😴\n\n'],
      ['Most adults need **7–9 hours** of sleep. These habits have good evidence behind them:\n\n'],
      [
        "1. **Keep a fixed schedule**: wake up at the same time every day, weekends included (within an hour)\n2. **Limit caffeine**: none after about 2 p.m.\n3. **No screens for the last hour**: bright light and stimulating content delay sleep\n4. **Bedroom**: dark, quiet and cool (around 18–22 °C / 65–72 °F)\n5. **Get daylight and exercise** during the day, but avoid hard workouts 2–3 hours before bed\n6. **Can't sleep after 20 minutes? Get up**, do something calm, and return when sleepy\n\n",
        '1. **Consistency**: a fixed wake-up time is the strongest lever on your body clock\n2. **Cut caffeine and alcohol**: alcohol helps you nod off but disrupts the second half of the night\n3. **Wind down**: a warm shower, a paper book, a few minutes of slow breathing\n4. **Use the bed only for sleep**: no scrolling or working in bed\n5. **Morning daylight** helps your body release melatonin at night\n6. **Keep naps under 30 minutes** and before 3 p.m.\n\n',
      ],
      ['> ⚠️ This is general advice, not a medical diagnosis. If insomnia lasts more than **3 months** or seriously affects your days, please see a doctor.\n'],
    ],
  },
};

/** "怎么做好时间管理" / "time management tips". */
export const timeManagement: Scenario = {
  id: 'time-management',
  match: [/时间管理|拖延|time management|procrastinat/, /番茄工作法|四象限|效率|pomodoro|eisenhower|productiv|to-?do 优先级|prioriti[sz]/],
  zh: {
    thinking: [
      ['\n用户问时间管理：“{question}”。', '\n嗯，用户想提高效率，或者在和拖延作斗争。'],
      ['两个最实用的工具：四象限法（重要/紧急）和番茄工作法（25 分钟专注 + 5 分钟休息）。', '方法上推荐艾森豪威尔矩阵排优先级，再用番茄钟执行。'],
      ['四象限用表格展示最直观。等等，拖延的根源常常是任务太大、不知道从哪开始，所以“拆小任务”也要讲。', '还要讲拖延：把任务拆到“5 分钟就能开始”的程度，启动就容易了。'],
      ['最后给几个日常习惯：前一晚列计划、关掉通知、一次只做一件事。\n', '收尾给一些可以马上用的小习惯。\n'],
    ],
    answer: [
      ['\n\n## 时间管理的实用方法 ⏰\n\n', '\n\n## 高效管理时间 ⏰\n\n'],
      ['### 1. 四象限法：先分清主次\n\n| | 紧急 | 不紧急 |\n| --- | --- | --- |\n| **重要** | 马上做（截止日期、突发问题） | 计划做（学习、健康、长期目标） |\n| **不重要** | 交给别人或快速处理 | 尽量不做（无目的刷手机） |\n\n把更多时间投入“**重要但不紧急**”的事情，紧急的事就会越来越少。\n\n'],
      ['### 2. 番茄工作法：专注执行\n\n1. 选一个任务，设定 **25 分钟**计时\n2. 期间只做这一件事\n3. 休息 **5 分钟**\n4. 每完成 4 个番茄钟，休息 15–30 分钟\n\n'],
      [
        '### 3. 对付拖延的小技巧\n\n- **拆小任务**：把“写报告”拆成“列出三个小标题”\n- **两分钟原则**：两分钟能做完的事立刻做\n- **前一晚定好明天最重要的 3 件事**\n- 工作时**关闭通知**，手机放到视线之外\n',
        '### 3. 日常习惯\n\n- 每天早上先完成最重要的一件事\n- 相似的琐事集中处理，比如统一回复消息\n- 给任务设定明确的截止时间\n- 每周花 15 分钟回顾和调整计划\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user is asking about time management: "{question}". ', '\nOkay, they want to be more productive, or they are fighting procrastination. '],
      ['Two practical tools: the Eisenhower matrix (important vs urgent) and the Pomodoro Technique (25 minutes of focus, 5 minutes of rest). ', 'Recommend the Eisenhower matrix for priorities and Pomodoro for execution. '],
      ["The matrix is clearest as a table. Wait — procrastination often comes from tasks that are too big to start, so breaking tasks down deserves a section. ", 'Also procrastination: shrink tasks until the first step takes five minutes. '],
      ['End with everyday habits: plan the night before, silence notifications, one thing at a time.\n', 'Finish with habits they can use today.\n'],
    ],
    answer: [
      ['\n\n## Practical Time Management ⏰\n\n', '\n\n## Managing Your Time Well ⏰\n\n'],
      ['### 1. The Eisenhower Matrix: Sort by Priority\n\n| | Urgent | Not urgent |\n| --- | --- | --- |\n| **Important** | Do it now (deadlines, crises) | Schedule it (learning, health, long-term goals) |\n| **Not important** | Delegate or handle quickly | Drop it (aimless scrolling) |\n\nSpend more time on the **important but not urgent** box and fewer things will become urgent.\n\n'],
      ['### 2. The Pomodoro Technique: Focus\n\n1. Pick one task and set a **25-minute** timer\n2. Work only on that task\n3. Take a **5-minute** break\n4. After four pomodoros, take a 15–30 minute break\n\n'],
      [
        '### 3. Beating Procrastination\n\n- **Make tasks smaller**: "write the report" becomes "list three headings"\n- **Two-minute rule**: if it takes under two minutes, do it now\n- **Pick tomorrow\'s top 3** the evening before\n- **Silence notifications** and put your phone out of sight\n',
        '### 3. Daily Habits\n\n- Do your most important task first thing in the morning\n- Batch small chores, like answering messages\n- Give every task a concrete deadline\n- Spend 15 minutes each week reviewing your plan\n',
      ],
    ],
  },
};

/** "怎么提高学习效率" / "study tips". */
export const studyTips: Scenario = {
  id: 'study-tips',
  match: [/学习方法|学习效率|备考|复习|记不住|study|exam|revision/, /主动回忆|间隔重复|费曼|active recall|spaced repetition|feynman|memori[sz]|study (tips|better|effectively|smarter)|learn(ing)? (faster|effectively)|提高.{0,4}学习/],
  zh: {
    thinking: [
      ['\n用户想提高学习效率：“{question}”。', '\n嗯，用户在问学习方法。'],
      ['很多人习惯反复看书、划重点，但研究表明这些方法效果一般。真正有效的是主动回忆和间隔重复。', '要推荐有研究支持的方法：主动回忆（自测）、间隔重复，而不是一遍遍重读。'],
      ['再加上费曼技巧：用简单的话把概念讲给别人听，讲不清楚的地方就是没懂的地方。等等，睡眠对记忆巩固也很重要，可以顺带一提。', '还有交错练习和费曼学习法；另外睡眠会巩固记忆，熬夜复习其实得不偿失。'],
      ['用编号列表写方法，每条一句解释和一个做法。\n', '列出方法和具体操作，简单明了。\n'],
    ],
    answer: [
      ['\n\n## 高效学习的方法 📚\n\n', '\n\n## 提高学习效率的建议 📚\n\n'],
      [
        '1. **主动回忆**：合上书，试着写出或说出刚学的内容；做题比重读更有效\n2. **间隔重复**：学完后隔 1 天、3 天、1 周、1 个月各复习一次，可以用 Anki 等工具\n3. **费曼技巧**：用最简单的话把概念讲给“外行”听，卡住的地方就是要补的地方\n4. **交错练习**：不同类型的题目混在一起练，而不是一种题连做几十道\n5. **保证睡眠**：睡眠会巩固记忆，考前通宵往往得不偿失\n\n',
      ],
      ['> 💡 反复阅读和大量划线会让人产生“我都会了”的错觉。**能不看书回答出来，才是真的学会了。**\n', '> 💡 一个简单的检验：合上书，能不能用自己的话讲清楚？能，才算真正掌握。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to study more effectively: "{question}". ', '\nOkay, a question about study methods. '],
      ['Many people reread and highlight, but research shows those work poorly. What works is active recall and spaced repetition. ', 'I should recommend evidence-based methods — self-testing and spacing — rather than rereading. '],
      ['Add the Feynman technique: explain the idea simply; wherever you get stuck is what you have not understood. Wait, sleep matters for consolidating memory too. ', 'Also interleaving and the Feynman technique, and sleep: all-nighters backfire. '],
      ['A numbered list, one line of explanation and one action each.\n', 'Methods with concrete steps, kept short.\n'],
    ],
    answer: [
      ['\n\n## How to Study Effectively 📚\n\n', '\n\n## Study Smarter, Not Longer 📚\n\n'],
      [
        '1. **Active recall**: close the book and write or say what you just learned; practice questions beat rereading\n2. **Spaced repetition**: review after 1 day, 3 days, 1 week and 1 month — tools like Anki automate it\n3. **The Feynman technique**: explain the concept in plain words to a beginner; where you stumble is what to revisit\n4. **Interleaving**: mix different types of problems instead of doing dozens of the same kind\n5. **Sleep**: it consolidates memory, so all-night cramming usually backfires\n\n',
      ],
      ['> 💡 Rereading and heavy highlighting create an illusion of mastery. **If you can answer without looking, you have really learned it.**\n', '> 💡 A simple test: close the book — can you explain it in your own words? If so, you know it.\n'],
    ],
  },
};
