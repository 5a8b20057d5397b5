import type { Scenario } from '../corpus-types.js';

/** "写一首诗" / "write a poem". */
export const poem: Scenario = {
  id: 'poem',
  match: [/诗|poem|poetry|haiku|俳句|sonnet/, /(写|作|来)一首|写首|write (me )?a poem|compose|verse|rhym/],
  zh: {
    thinking: [
      ['\n用户想要一首诗：“{question}”。', '\n嗯，用户让我写诗。'],
      ['没有指定主题的话，秋夜是个好题材，有月光、桂花、思念，意象丰富。', '主题我选“秋夜”，画面感强，也容易引起共鸣。'],
      ['写现代诗还是古体诗？现代诗更自由，读起来也自然，就写一首短的现代诗，三节。', '格律诗要讲平仄，容易写得生硬，这次写现代诗，分三节，每节四行。'],
      ['意象安排：第一节写景，第二节写人，第三节收在思念上。等等，结尾要留一点余味，不要直接说“我想你”。', '从窗外的景写到心里的情，最后一句要含蓄。'],
      ['写完再简单说一下创作思路。\n', '诗后面附一两句说明就好。\n'],
    ],
    answer: [
      ['\n\n## 《秋夜》\n\n', '\n\n## 秋夜 🌙\n\n'],
      [
        '> 窗外的桂花落了一地，  \n> 月光把小路洗得发白，  \n> 风从很远的地方来，  \n> 带着稻田和河水的气息。\n>\n> 灯下的人放下了书，  \n> 听见蟋蟀在墙角数着时间，  \n> 一声，又一声，  \n> 像谁在轻轻叩门。\n>\n> 我把今晚的月亮折好，  \n> 放进明天要寄出的信里，  \n> 等它抵达你的窗前，  \n> 也许正好是中秋。\n\n',
      ],
      ['这首诗从**景**写到**人**，再落到**情**：用“折好月亮寄出去”这个意象，把思念表达得含蓄一些。', '创作思路：第一节写景，第二节写静夜里的人，第三节把月亮“寄”给远方，把思念藏在意象里。'],
      ['\n\n想要古体诗、换个主题，或者改成英文版，都可以告诉我 😊', '\n\n如果想换成五言或七言绝句，或者指定主题，随时告诉我 😊'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a poem: "{question}". ', '\nOkay, they are asking me to write a poem. '],
      ['No theme given, so a city at night in the rain could work: lights, reflections, a bit of loneliness. ', "I'll pick rain in the city at night — strong images and an easy mood to share. "],
      ['Rhymed or free verse? A light rhyme scheme gives it shape without sounding forced. Three short stanzas. ', 'Three quatrains with loose rhymes; strict meter tends to sound stiff. '],
      ['Image plan: the street, then the people, then a quiet turn at the end. Wait, the ending should suggest rather than state. ', 'Move from the scene to a feeling, and keep the last line understated. '],
      ['Then a line or two about the idea behind it.\n', 'Add a short note after the poem.\n'],
    ],
    answer: [
      ['\n\n## City Rain\n\n', '\n\n## City Rain 🌧️\n\n'],
      [
        '> The streetlights blur to amber tea,  \n> the buses hum in minor key,  \n> and every window, gold and small,  \n> holds someone listening to it fall.\n>\n> A stranger shares her red umbrella,  \n> a boy runs laughing through the weather,  \n> the puddles keep, like patient eyes,  \n> a second city, upside-down skies.\n>\n> And I walk home the longer way,  \n> collecting what the raindrops say:  \n> that nothing stays, and nothing should —  \n> and still, tonight, the world is good.\n\n',
      ],
      ['The poem moves from **scene** to **people** to a quiet **feeling**: the puddles reflecting "a second city" carry the idea that ordinary moments hold more than they seem.', 'The idea: three stanzas go from the street, to the people in it, to a small personal realisation — rain as something fleeting but kind.'],
      ["\n\nWant a different theme, a haiku, or a stricter form like a sonnet? Just say 😊", '\n\nI can try another mood, a haiku, or a Chinese version if you like 😊'],
    ],
  },
};

/** "讲个故事" / "tell me a story". */
export const story: Scenario = {
  id: 'story',
  match: [/故事|童话|寓言|\bstory\b|fairy ?tale|bedtime/, /讲(一)?个(小)?(故事|童话)|编(一)?个故事|睡前|tell me a (short |bedtime )?story|write (me )?a (short )?story|once upon/],
  zh: {
    thinking: [
      ['\n用户想听一个故事：“{question}”。', '\n嗯，用户让我讲个故事。'],
      ['没有指定类型，写一个温暖的短篇比较合适，适合各个年龄。', '类型没限定，我就写一个温馨的小故事，篇幅适中。'],
      ['主角：海边灯塔里的一只猫和守塔的老人。冲突：一个暴风雨夜，灯坏了。', '设定：灯塔、老人、一只橘猫。情节：暴风雨里灯熄了，猫帮忙让船平安靠岸。'],
      ['等等，结局不能太突兀，要有铺垫：前面先写猫总爱盯着灯看。', '前面要埋伏笔，后面才能自然地收回来。'],
      ['用小标题分段，结尾点一下主题：小小的坚持也能照亮别人。\n', '故事写完，加一句温柔的收尾。\n'],
    ],
    answer: [
      ['\n\n## 灯塔里的橘猫\n\n', '\n\n## 📖 灯塔里的橘猫\n\n'],
      ['在一座小岛的尽头，有一座白色的灯塔。守塔的是一位姓林的老人，和他作伴的，是一只胖乎乎的橘猫，名叫“灯芯”。灯芯最喜欢做的事，就是每天傍晚蹲在灯室里，看老人点亮那盏大灯，金色的光一圈一圈扫过海面。\n\n'],
      ['那年秋天，一场暴风雨突然来袭。半夜，狂风撞开了窗户，灯室里的大灯闪了几下，**灭了**。老人急忙去修，可是雨太大，他脚下一滑，扭伤了脚踝。远处的海面上，一艘渔船正亮着微弱的灯，在浪里摇摇晃晃地寻找方向。\n\n'],
      ['灯芯看了看老人，又看了看漆黑的海。它忽然跳上工具箱，用爪子拨出了那盏备用的煤油灯——那是它每天都盯着看、早就记住位置的东西。老人愣了一下，随即明白过来，拖着伤脚点亮了油灯，举到窗前。微弱却稳定的光，一下一下地亮着。\n\n'],
      ['天亮的时候，渔船平安地停进了港口。船长带着一条最大的鱼来道谢，灯芯毫不客气地收下了。\n\n> 有时候，照亮别人的不是最大的那盏灯，而是那个一直记得光在哪里的小小身影。\n', '第二天清晨，风停了。渔船上的人专程来到灯塔道谢，还给灯芯带来了一条新鲜的鱼。从那以后，岛上的人都说，这座灯塔有两位守护者。\n\n> 再小的坚持，也可能在某个夜晚，成为别人的光。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a story: "{question}". ', '\nOkay, they asked me to tell a story. '],
      ['No genre given, so a warm short story that works for any age seems right. ', "Genre isn't specified; a gentle, cosy story of moderate length. "],
      ['Characters: a lighthouse keeper and his ginger cat. Conflict: on a stormy night, the lamp fails. ', 'Setup: a lighthouse, an old keeper, a ginger cat. Plot: the light goes out in a storm and the cat helps a boat get home. '],
      ['Wait, the ending needs setting up, or it will feel sudden. Early on, show that the cat loves watching the lamp. ', 'I need to plant that detail early so the ending feels earned. '],
      ['Finish with a gentle line about small acts lighting the way for others.\n', 'End with a soft moral.\n'],
    ],
    answer: [
      ['\n\n## The Lighthouse Cat\n\n', '\n\n## 📖 The Lighthouse Cat\n\n'],
      ['At the far end of a small island stood a white lighthouse. Its keeper was an old man named Tom, and his only companion was a round ginger cat called Wick. Every evening Wick sat in the lamp room and watched Tom light the great lamp, its golden beam sweeping slowly across the sea.\n\n'],
      ['One autumn night a storm rolled in without warning. Around midnight the wind burst the window open, the great lamp flickered — and **went dark**. Tom hurried to fix it, but he slipped on the wet floor and twisted his ankle. Far out on the water, a fishing boat with one faint light was rolling through the waves, searching for the harbour.\n\n'],
      ['Wick looked at Tom, then at the black sea. Suddenly he leapt onto the toolbox and pawed at the old oil lantern kept there for emergencies — the one he had watched Tom polish a hundred times. Tom stared for a moment, then understood. He lit the lantern and, leaning on the wall, held it up to the window. A small, steady light began to shine.\n\n'],
      ['By dawn the fishing boat was safe in the harbour. The captain came up the hill with the biggest fish of his catch to say thank you, and Wick accepted it without the slightest modesty.\n\n> Sometimes the light that guides others home is not the biggest lamp, but the small friend who remembered where the light was kept.\n', 'The next morning the storm had passed. The crew climbed up to the lighthouse to thank them and brought Wick a fresh fish. From then on, the islanders said their lighthouse had two keepers.\n\n> Even the smallest act of care can become someone else\'s light on a dark night.\n'],
    ],
  },
};

/** "讲个笑话" / "tell me a joke". */
export const joke: Scenario = {
  id: 'joke',
  match: [/笑话|段子|逗我笑|\bjokes?\b|make me laugh/, /讲(一)?个笑话|来(一)?个笑话|tell me a joke|funny|幽默|humou?r/],
  zh: {
    thinking: [
      ['\n用户想听笑话：“{question}”。', '\n嗯，用户让我讲个笑话。'],
      ['讲什么类型的呢？程序员笑话比较安全，又不会冒犯人。', '选一个不冒犯任何人的，程序员段子就挺好。'],
      ['“包子和西瓜”那个很经典：老婆让程序员买一斤包子，看到卖西瓜的就买一个。笑点在于 if 条件的理解。', '那个包子的段子最有名，笑点在于程序员按代码逻辑理解了“买一个”。'],
      ['等等，要确保铺垫和包袱的顺序对，最后一句才揭晓。\n', '节奏很重要，包袱放在最后一句。\n'],
    ],
    answer: [
      ['\n\n好的，来一个程序员笑话 😄\n\n', '\n\n给你讲一个经典的 😄\n\n'],
      ['老婆给当程序员的老公打电话：“下班顺路买一斤包子带回来，如果看到卖西瓜的，买一个。”\n\n当晚，程序员老公手捧**一个包子**进了家门。\n\n老婆怒道：“你怎么就买了一个包子？！”\n\n老公答：“因为看到了卖西瓜的。”'],
      ['\n\n还想再听一个吗？🤭', '\n\n要不要再来一个？'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a joke: "{question}". ', '\nOkay, they asked for a joke. '],
      ['What kind? Programmer jokes are safe and not offensive to anyone. ', "Something that won't offend anyone — a light tech joke works. "],
      ['The SQL one is a classic: a query walks into a bar, goes up to two tables and asks, "Can I join you?" ', 'Maybe the dark mode one — "because light attracts bugs." Short, and the pun lands. '],
      ['Wait, timing matters: setup first, punchline last.\n', 'Keep the punchline at the very end.\n'],
    ],
    answer: [
      ["\n\nHere's one for you 😄\n\n", '\n\nSure, a classic 😄\n\n'],
      ['Why do programmers prefer dark mode?\n\nBecause **light attracts bugs**. 🐛', 'A SQL query walks into a bar, goes up to two tables and asks:\n\n"**Can I join you?**"'],
      ['\n\nWant another one? 🤭', '\n\nShall I tell you another?'],
    ],
  },
  followUp: {
    zh: {
      thinking: [
        ['\n用户上一句是“{previous}”，现在又说“{question}”，看来想再听一个。', '\n嗯，刚才讲过一个了，用户还想听。'],
        ['不能重复刚才的，换一个。', '得换个新的，别讲重复了。'],
        ['“为什么程序员分不清万圣节和圣诞节？因为 Oct 31 = Dec 25。”八进制 31 等于十进制 25，没错。', '那个 Oct 31 = Dec 25 的梗不错：八进制的 31 正好是十进制的 25。'],
        ['不过这个需要解释一下，不然不懂进制的人会一头雾水。\n', '要加一句解释，照顾不熟悉进制的人。\n'],
      ],
      answer: [
        ['\n\n好，再来一个 😄\n\n', '\n\n没问题，再来一个！\n\n'],
        ['为什么程序员总是分不清万圣节和圣诞节？\n\n因为 **Oct 31 = Dec 25**。'],
        ['\n\n（解释：Oct 是八进制，Dec 是十进制，八进制的 31 正好等于十进制的 25 🎃🎄）'],
      ],
    },
    en: {
      thinking: [
        ['\nThe user said "{previous}" before and now "{question}" — they want another one. ', '\nOkay, I already told one; they want more. '],
        ["Can't repeat the last one. ", 'Needs to be a new one. '],
        ['"Why do programmers confuse Halloween and Christmas? Because Oct 31 = Dec 25." Octal 31 is decimal 25 — correct. ', 'The Oct 31 = Dec 25 joke: 3×8 + 1 = 25. It checks out. '],
        ["It needs a short explanation, though, for anyone who doesn't know number bases.\n", "I'll add a one-line explanation.\n"],
      ],
      answer: [
        ['\n\nOkay, another one 😄\n\n', '\n\nSure, here goes!\n\n'],
        ['Why do programmers always mix up Halloween and Christmas?\n\nBecause **Oct 31 = Dec 25**.'],
        ['\n\n(Octal 31 is 3 × 8 + 1 = 25 in decimal 🎃🎄)'],
      ],
    },
  },
};
