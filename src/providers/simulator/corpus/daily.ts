import type { Scenario } from '../corpus-types.js';

/** "今天星期几" / "what day is it": only ever the `{weekday}`/`{date}` placeholders, never a real day. */
export const weekday: Scenario = {
  id: 'weekday',
  match: [/星期几|周几|礼拜几|weekday|day of the week|what day|which day/, /几号|几月几|日期|\bdate\b|what(?:'s| is) today/],
  zh: {
    thinking: [
      ['\n用户问“{question}”。', '\n嗯，用户想知道今天是星期几。'],
      ['我自己没有日历，但系统给出的当前日期是 {date}，时间大约 {time}。', '我先看一下当前的日期：{date}，现在大约 {time}。'],
      ['根据这个日期，今天是{weekday}。', '按这个日期推算，今天应该是{weekday}。'],
      ['等等，时区不同的话日期可能差一天，最好提醒一下。', '不过如果他在别的时区，日期可能会不一样，要说明一下。'],
      ['直接给出答案，简洁一点就好。\n', '嗯，答案放前面，加一句时区提示。\n'],
    ],
    answer: [
      ['\n\n今天是 **{weekday}**', '\n\n今天是**{weekday}** 📅'],
      ['，日期是 **{date}**。', '，{date}。'],
      ['\n\n> 注意：以上按服务器时间计算（当前约 {time}），如果你在其他时区，日期可能相差一天。', '\n\n> 提示：这是根据服务器时钟（{time}）得出的，跨时区时请以你本地的日历为准。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user asks "{question}". ', '\nOkay, they want to know what day it is. '],
      ["I don't have a calendar of my own, but the current date given to me is {date}, around {time}. ", 'Let me check the date: {date}, and the time is about {time}. '],
      ['From that date, today is {weekday}. ', 'So today should be {weekday}. '],
      ['Wait, time zones could shift the date by a day. I should mention that. ', "If they're in another time zone it might already be a different day, so a short note helps. "],
      ['Answer first, keep it brief.\n', 'Direct answer plus a one-line caveat.\n'],
    ],
    answer: [
      ['\n\nToday is **{weekday}**', '\n\nIt is **{weekday}** today 📅'],
      [', **{date}**.', ' ({date}).'],
      ['\n\n> Note: this is based on the server clock (currently about {time}); in a different time zone the date may differ by one day.', '\n\n> Tip: I worked this out from the server time ({time}), so check your local calendar if you are in another time zone.'],
    ],
  },
};

/** "番茄炒蛋怎么做" / "tomato and egg stir-fry recipe". */
export const recipe: Scenario = {
  id: 'recipe',
  match: [/番茄炒蛋|西红柿炒(鸡)?蛋|tomato.*egg|egg.*tomato/, /菜谱|食谱|做法|怎么炒|家常菜|recipe|\bcook/],
  zh: {
    thinking: [
      ['\n用户问番茄炒蛋怎么做。', '\n嗯，用户想学番茄炒蛋。'],
      ['这是最经典的家常菜，材料简单：番茄、鸡蛋、油、盐，糖和葱花可选。', '先列材料：两个番茄、三个鸡蛋，再加盐、少许糖、葱花。'],
      ['关键步骤是鸡蛋和番茄分开炒：先把鸡蛋炒到刚凝固就盛出，不然会老。', '要点是先炒蛋再炒番茄，蛋液嫩滑时就出锅，最后再合在一起。'],
      ['番茄要炒出汁，可以加一点糖中和酸味。等等，甜口还是咸口南北有争议，我就写“糖可选”。', '放不放糖是个老话题了，我写成可选，按个人口味来。'],
      ['用编号步骤写，再加几个小技巧。\n', '步骤编号，加一段小贴士，就可以了。\n'],
    ],
    answer: [
      ['\n\n# 🍅 番茄炒蛋\n\n', '\n\n# 番茄炒蛋（2 人份）🍳\n\n'],
      [
        '## 食材\n\n- 番茄 2 个（约 300 克）\n- 鸡蛋 3 个\n- 盐 适量，白糖 1 小勺（可选）\n- 葱花 少许，食用油 2 汤匙\n\n',
        '## 准备材料\n\n- 中等大小番茄 2 个\n- 鸡蛋 3 个\n- 盐、糖（可选）\n- 小葱 1 根、食用油\n\n',
      ],
      [
        '## 步骤\n\n1. **处理食材**：番茄切块；鸡蛋打散，加一小撮盐搅匀。\n2. **炒蛋**：热锅加油，油热后倒入蛋液，稍凝固后用铲子推散，**七八成熟就盛出**。\n3. **炒番茄**：锅里补少许油，下番茄翻炒，用铲子轻压出汁。\n4. **调味**：加盐，喜欢酸甜口可以加 1 小勺糖。\n5. **合炒**：倒回鸡蛋，翻炒均匀，撒葱花出锅。\n\n',
        '## 做法\n\n1. **切配**：番茄切成小块，鸡蛋加少许盐打散。\n2. **先炒蛋**：油温七成热时下蛋液，炒成大块，**嫩的时候就盛出**。\n3. **再炒番茄**：番茄下锅中火翻炒，炒到软烂出汁。\n4. **调味**：放盐，按口味加少量糖提鲜。\n5. **回锅**：放入炒好的鸡蛋，翻匀后撒上葱花即可。\n\n',
      ],
      [
        '## 💡 小技巧\n\n- 番茄顶部划十字，用开水烫一下就能轻松去皮，口感更好\n- 蛋液里加一小勺清水，炒出来更蓬松\n- 想要汤汁多一点，可以加两三勺清水稍微焖一下\n',
        '## 💡 小贴士\n\n- 选熟透、颜色红的番茄，汁更多\n- 鸡蛋不要炒太老，回锅还会继续加热\n- 拌饭的话，最后可以淋一点水淀粉让汤汁更浓稠\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to know how to make tomato and egg stir-fry. ', '\nOkay, a recipe question: Chinese tomato and scrambled eggs. '],
      ["It's a classic home dish with simple ingredients: tomatoes, eggs, oil, salt, optional sugar and scallions. ", 'Ingredients first: two tomatoes, three eggs, salt, a little sugar, scallions. '],
      ['The key is cooking the eggs and tomatoes separately — take the eggs out while still soft or they get rubbery. ', 'The main technique: scramble the eggs first, remove them just set, then cook the tomatoes and combine. '],
      ["Sugar balances the acidity. Wait, sweet versus savoury is a famous debate in China, so I'll mark sugar as optional. ", "Whether to add sugar is a matter of taste; I'll make it optional. "],
      ["Numbered steps plus a few tips.\n", 'Numbered steps, then tips. Done.\n'],
    ],
    answer: [
      ['\n\n# 🍅 Tomato and Egg Stir-Fry\n\n', '\n\n# Tomato and Scrambled Eggs (serves 2) 🍳\n\n'],
      [
        '## Ingredients\n\n- 2 tomatoes (about 300 g)\n- 3 eggs\n- Salt to taste, 1 tsp sugar (optional)\n- 1 scallion, chopped; 2 tbsp cooking oil\n\n',
        '## You Will Need\n\n- 2 medium tomatoes\n- 3 eggs\n- Salt and (optionally) sugar\n- 1 spring onion and some oil\n\n',
      ],
      [
        '## Steps\n\n1. **Prep**: cut the tomatoes into wedges; beat the eggs with a pinch of salt.\n2. **Scramble**: heat oil in a wok, pour in the eggs, push them around as they set and **remove while still a little soft**.\n3. **Tomatoes**: add a little more oil and stir-fry the tomatoes, pressing them gently to release their juice.\n4. **Season**: add salt, and a teaspoon of sugar if you like it sweet and sour.\n5. **Combine**: return the eggs, toss everything together, sprinkle with scallions and serve.\n\n',
        '## Method\n\n1. **Cut**: chop the tomatoes into chunks and whisk the eggs with a little salt.\n2. **Eggs first**: cook them in hot oil into large soft curds and **take them out early**.\n3. **Then tomatoes**: cook over medium heat until soft and saucy.\n4. **Season**: salt, plus a little sugar to taste.\n5. **Finish**: add the eggs back, stir to coat, top with spring onion.\n\n',
      ],
      [
        '## 💡 Tips\n\n- Score an X on each tomato and blanch it in boiling water to peel it easily\n- A spoonful of water in the eggs makes them fluffier\n- For more sauce, add two or three tablespoons of water and simmer briefly\n',
        '## 💡 Tips\n\n- Use ripe, deep-red tomatoes for more juice\n- Do not overcook the eggs; they keep cooking when you combine\n- Serving over rice? Thicken the sauce with a little cornstarch slurry\n',
      ],
    ],
  },
};

/** "对比一下手机套餐" / "compare phone plans": answers with a Markdown table. */
export const phonePlans: Scenario = {
  id: 'phone-plans',
  match: [/套餐|话费|流量卡|phone plans?|mobile plans?|data plans?|cell plans?/, /运营商|中国移动|中国联通|中国电信|手机卡|电话卡|carrier|unlimited data|\b5g\b|prepaid|postpaid|sim ?card/],
  zh: {
    thinking: [
      ['\n用户想对比手机套餐：“{question}”。', '\n嗯，用户在纠结选哪个手机套餐。'],
      ['我不知道他所在地区运营商的实时价格，所以用几个典型的示例套餐来说明怎么比较。', '各家运营商价格经常变，我没法给实时报价，可以用示例套餐演示比较方法。'],
      ['比较维度：月费、通用流量、通话分钟数、5G、合约期。用表格最直观。', '关键指标有月租、流量、通话、是否 5G、有没有合约，用表格列出来。'],
      ['等等，还要按使用习惯给建议：流量用得多的人和主要打电话的人需求完全不同。', '最后按不同人群给推荐，再提醒注意“限速”和“定向流量”这些坑。'],
      ['嗯，表格加分人群建议，结构就清楚了。\n', '就这样写。\n'],
    ],
    answer: [
      ['\n\n各地运营商的价格会变化，下面用**三个示例套餐**演示怎么比较 📱\n\n', '\n\n具体价格以运营商官网为准，这里用**示例数据**说明比较方法 📱\n\n'],
      [
        '| 套餐 | 月费 | 通用流量 | 通话 | 5G | 合约期 |\n| --- | ---: | ---: | ---: | :---: | --- |\n| 基础版 | ¥39 | 20 GB | 100 分钟 | ❌ | 无 |\n| 标准版 | ¥79 | 60 GB | 300 分钟 | ✅ | 12 个月 |\n| 畅享版 | ¥129 | 150 GB | 1000 分钟 | ✅ | 24 个月 |\n\n',
      ],
      [
        '## 怎么选\n\n- **主要用 Wi-Fi、流量少**：基础版足够，每月不到 40 元\n- **通勤刷视频、偶尔打电话**：标准版性价比最高\n- **重度用户或需要热点**：畅享版，但要接受两年合约\n\n',
        '## 选择建议\n\n- **学生或轻度用户**：选基础版，省钱\n- **普通上班族**：标准版最均衡\n- **经常出差、开热点**：畅享版流量更充足\n\n',
      ],
      ['> ⚠️ 办理前看清**超出后是否限速**、流量是“通用”还是“定向”，以及合约期内能否降级。\n', '> ⚠️ 注意区分通用流量和定向流量，并确认合约期和违约金。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to compare phone plans: "{question}". ', '\nOkay, they are trying to choose a mobile plan. '],
      ["I don't know current prices from their carrier, so I'll use a few typical example plans to show how to compare. ", "Carrier prices change all the time and I can't quote live ones; example plans will illustrate the method. "],
      ['Dimensions: monthly price, data, minutes, 5G, contract length. A table is clearest. ', 'The useful columns are price, data, calls, 5G and contract. Table it is. '],
      ['Wait, the recommendation depends on usage: a heavy data user and someone who mostly calls need different plans. ', 'Then recommendations by type of user, and a warning about throttling and fine print. '],
      ['Table plus recommendations — that is a clear structure.\n', "Right, let's write it.\n"],
    ],
    answer: [
      ['\n\nPrices vary by carrier and region, so here are **three example plans** to show how to compare 📱\n\n', "\n\nCheck your carrier's site for real prices; these **example plans** show the method 📱\n\n"],
      [
        '| Plan | Monthly price | Data | Minutes | 5G | Contract |\n| --- | ---: | ---: | ---: | :---: | --- |\n| Basic | $15 | 5 GB | 500 | ❌ | None |\n| Standard | $35 | 30 GB | Unlimited | ✅ | 12 months |\n| Premium | $60 | Unlimited* | Unlimited | ✅ | 24 months |\n\n*Speeds may be reduced after 100 GB.\n\n',
      ],
      [
        '## Which One?\n\n- **Mostly on Wi-Fi**: Basic is enough and costs the least\n- **Streaming on the commute**: Standard is the best value\n- **Heavy user or hotspot**: Premium, if a two-year contract is acceptable\n\n',
        '## Recommendations\n\n- **Students and light users**: Basic\n- **Typical everyday use**: Standard\n- **Frequent travel or tethering**: Premium\n\n',
      ],
      ['> ⚠️ Before signing, check **what happens after the data cap** (throttling or overage fees) and the early-termination fee.\n', '> ⚠️ Read the fine print on throttling, roaming and cancellation fees.\n'],
    ],
  },
};
