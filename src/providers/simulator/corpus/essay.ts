import type { Scenario } from '../corpus-types.js';

/** "写一篇作文" / "write a long essay": several hundred words with headings. */
export const essay: Scenario = {
  id: 'essay',
  match: [/作文|论文|essay/, /(写|write|compose|draft).*(作文|文章|论文|essay|article)|长文|long essay|\d+ ?(字|words)/],
  zh: {
    thinking: [
      ['\n用户让我写一篇文章：“{question}”。', '\n嗯，用户需要一篇比较长的文章。'],
      ['题目没有限定得很死，我选一个大家都能产生共鸣的话题：数字时代的阅读。', '如果题目比较开放，我就写“数字时代，我们为什么还要读书”，贴近生活，也有思辨性。'],
      ['结构上用经典的总分总：开头提出问题，中间三个分论点，结尾升华。', '先定结构：引言、三个小标题分别论述、结论，每部分一两段。'],
      ['三个论点：一是碎片化信息不等于知识；二是深度阅读训练专注力和思考能力；三是阅读让人理解他人、拓展人生的边界。', '论点可以是：碎片信息的局限、深度阅读对思维的塑造、阅读带来的共情与视野。'],
      ['等等，不能只是批评手机，要客观：电子阅读本身没问题，关键是阅读的方式，结尾可以给出具体可行的建议。', '避免说教，要承认数字工具的价值，落脚点放在“如何读”上。'],
      ['字数大约八九百字，用 Markdown 小标题分段。\n', '控制在九百字左右，标题清晰，语言自然一些。\n'],
    ],
    answer: [
      ['\n\n# 数字时代，我们为什么还要读书\n\n', '\n\n# 在信息洪流中，守住一本书\n\n'],
      [
        '清晨醒来，很多人的第一个动作是拿起手机：新闻推送、短视频、朋友圈、群消息，一条接一条地涌进来。我们每天接触的文字比任何一个时代的人都多，可静下心来读完一本书，却似乎变得越来越难。在这样的时代，读书还有意义吗？我的回答是：不仅有，而且比以往任何时候都更重要。\n\n',
        '地铁车厢里，几乎每个人都低着头，手指在屏幕上飞快地滑动。信息从未如此丰富，获取也从未如此容易，但“读完一本书”却成了许多人的年度目标，甚至是一个难以完成的目标。当信息唾手可得，读书是否已经过时？我认为恰恰相反：越是信息泛滥，越需要认真读书。\n\n',
      ],
      [
        '## 一、信息不等于知识\n\n手机上的内容往往短小、即时、零散。它们能让我们迅速“知道”很多事情，却很少帮助我们真正“理解”一件事情。一条三十秒的视频可以告诉你某个历史事件的结论，却讲不清它的来龙去脉；一篇标题醒目的文章可以激起情绪，却未必经得起推敲。知识需要结构，需要前因后果，需要把新的信息放进已有的框架里反复消化。一本好书正是作者花费数年时间搭建起来的完整体系，读者跟随作者的思路一步步展开，最终获得的不是一堆碎片，而是一张可以继续生长的知识之网。\n\n这并不是说短内容毫无价值。一段好的科普视频可以点燃好奇心，一篇精彩的短文也能把我们引向新的领域。问题在于，当“零食”取代了“正餐”，我们就会慢慢失去与一个复杂问题长时间相处的耐心。而书，恰恰是为数不多仍然要求、也奖励这种耐心的地方。\n\n',
      ],
      [
        '## 二、深度阅读塑造思考能力\n\n心理学研究发现，长期习惯于快速浏览的人，专注力会逐渐下降，越来越难以进入长时间的深度思考。读一本书，尤其是一本有难度的书，需要我们在几个小时里跟随一条复杂的论证，记住前面的线索，质疑作者的观点，再形成自己的判断。这个过程本身就是对大脑的训练。正如运动锻炼身体，深度阅读锻炼的是专注、耐心和独立思考的能力。在人人都能随时发表观点的时代，能够冷静分析、不被情绪裹挟的人，反而显得格外珍贵。\n\n',
      ],
      [
        '## 三、阅读让我们看见更广阔的世界\n\n一个人的生命是有限的，我们只能生活在一个时代、一座城市、一种身份里。但通过阅读，我们可以走进古代文人的书房，体会异国他乡普通人的悲欢，理解与自己截然不同的人为何那样思考和生活。小说让我们学会共情，历史让我们看清来路，哲学让我们追问意义。算法推荐给我们的，往往是我们已经喜欢的东西；而一本书，常常会把我们带到从未想过要去的地方。阅读拓展的，不只是知识的边界，更是生命的宽度。\n\n',
      ],
      [
        '## 结语\n\n当然，读书并不意味着要拒绝手机。电子书、有声书让阅读变得更加便利，问题从来不在于载体，而在于我们阅读的方式。不妨从小事做起：每天留出半小时，关掉通知，完整地读几章书；读完之后写下几句自己的想法；每个月和朋友聊一聊最近读过的书。\n\n> 在信息的洪流中，一本书就像一座安静的岛屿。愿我们都能时常登岛，在那里慢下来，想清楚，再出发。\n',
        '## 结语\n\n读书与使用手机并不矛盾，电子阅读同样是阅读，关键在于我们是否愿意给思考留出完整的时间。试着每天关掉提醒，专心读上三十分钟；读完后写几行笔记；把读过的好书推荐给身边的人。这些小小的习惯，会在时间里慢慢显出力量。\n\n> 信息让我们知道得更多，读书让我们想得更深。在这个喧嚣的时代，愿我们都能守住一本书，也守住自己。\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants an essay: "{question}". ', '\nOkay, they are asking for a fairly long essay. '],
      ["The topic is open enough that I'll pick something most readers relate to: reading in the digital age. ", 'If the prompt is open, "Why we still need books in the digital age" is relatable and gives room for argument. '],
      ['Structure: the classic introduction, three body sections with headings, and a conclusion. ', 'Plan: intro, three headed sections making one point each, then a conclusion. '],
      ['Three points: information is not knowledge; deep reading trains attention and thinking; reading widens empathy and perspective. ', 'The points: the limits of fragmented information, how deep reading shapes the mind, and how it broadens our world. '],
      ["Wait, I shouldn't just bash smartphones. E-readers are fine — the real issue is how we read. The conclusion should offer practical habits. ", 'Avoid preaching. Acknowledge that digital tools are useful and focus on how to read, ending with concrete suggestions. '],
      ['Around 700 words, Markdown headings, natural tone.\n', 'Aim for roughly 700 words with clear headings.\n'],
    ],
    answer: [
      ['\n\n# Why We Still Need Books in the Digital Age\n\n', '\n\n# Holding On to a Book in a Flood of Information\n\n'],
      [
        "For many of us, the first thing we do in the morning is reach for a phone. News alerts, short videos, group chats and social feeds pour in, one after another. We read more words every day than people in any previous era, yet sitting down to finish a single book seems harder than ever. In a world like this, does reading books still matter? My answer is yes — and it matters more now than it ever has.\n\n",
        'On any commuter train, almost every head is bowed over a screen, thumbs flicking through an endless stream of posts. Information has never been so plentiful or so easy to reach, and yet "finish one book" has become a New Year\'s resolution that many people fail to keep. When information is everywhere, are books obsolete? I would argue the opposite: the more information surrounds us, the more we need to read deeply.\n\n',
      ],
      [
        '## Information Is Not Knowledge\n\nWhat we read on our phones is usually short, instant and fragmented. It lets us quickly *know about* many things, but it rarely helps us truly *understand* any of them. A thirty-second clip can tell you how a historical event ended, but not why it happened; a headline can stir strong feelings without surviving a moment of scrutiny. Knowledge needs structure. It needs causes and consequences, and it needs time for new ideas to be fitted into what we already know. A good book is a complete system that an author has spent years building. By following the argument step by step, the reader gains not a pile of fragments but a web of understanding that can keep growing.\n\nThis is not to say that short-form content is worthless. A quick explainer can spark curiosity, and a good thread can point us toward ideas we would never have found alone. The trouble begins when the snack replaces the meal. If everything we read is designed to be consumed in a minute, we slowly lose the habit of staying with a difficult idea long enough for it to change our minds. Books are one of the few places left where that kind of patience is still expected, and rewarded.\n\n',
      ],
      [
        '## Deep Reading Shapes How We Think\n\nResearchers have observed that people who mostly skim find it increasingly difficult to sustain attention and slip into long stretches of focused thought. Reading a book — especially a challenging one — asks us to follow a complex line of reasoning for hours, hold earlier threads in mind, question the author and reach our own conclusions. That process is itself a workout for the mind. Just as exercise strengthens the body, deep reading strengthens concentration, patience and independent judgment. At a time when anyone can broadcast an opinion in seconds, people who can think calmly and resist being swept along by emotion are more valuable than ever.\n\n',
      ],
      [
        '## Reading Opens a Wider World\n\nEach of us lives only one life, in one era, one place and one identity. Through books, though, we can step into a scholar\'s study a thousand years ago, share the joys and sorrows of ordinary people on the other side of the world, and understand why someone utterly unlike us thinks and lives as they do. Novels teach empathy, history shows us where we came from, and philosophy makes us ask what it all means. Recommendation algorithms tend to serve us more of what we already like; a book often takes us somewhere we never thought to go. Reading expands not only the boundaries of our knowledge but the breadth of our lives.\n\n',
      ],
      [
        '## Conclusion\n\nNone of this means we must give up our phones. E-books and audiobooks make reading more convenient than ever; the problem was never the medium, but the way we read. Start small: set aside thirty minutes a day, silence notifications and read a few chapters straight through. Afterwards, jot down a few thoughts of your own. Once a month, talk with a friend about a book you have finished.\n\n> In a flood of information, a book is a quiet island. May we visit it often — to slow down, think clearly, and set out again.\n',
        '## Conclusion\n\nReading books and using phones are not enemies; reading on a screen is still reading. What matters is whether we are willing to give our thinking uninterrupted time. Try switching off alerts and reading for half an hour each day, writing a few lines of notes when you finish, and passing good books on to the people around you. Small habits like these quietly gather strength over time.\n\n> Information lets us know more; books help us think deeper. In a noisy age, may we each hold on to a book — and, through it, to ourselves.\n',
      ],
    ],
  },
};
