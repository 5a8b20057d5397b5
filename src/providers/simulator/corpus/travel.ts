import type { Scenario } from '../corpus-types.js';

/** "今天天气怎么样" / "what's the weather like": no live data, so general advice. */
export const weather: Scenario = {
  id: 'weather',
  match: [/天气|weather/, /下雨|下雪|带伞|气温|冷不冷|热不热|天气预报|\brain|\bsnow|umbrella|temperature|forecast|sunny/],
  zh: {
    thinking: [
      ['\n用户问：“{question}”。这是在问天气。', '\n嗯，用户想知道天气情况：“{question}”。'],
      ['问题是我没有实时联网，拿不到今天（{date}）的真实天气数据。', '等等，我无法查询实时气象数据，今天是 {date}，但具体天气我并不知道。'],
      ['我不能编一个温度出来，那样会误导他。', '随便给一个数字是不负责任的，还是实话实说。'],
      ['不过我可以告诉他去哪里查最准确，再给一些通用的穿衣和出行建议。', '可以推荐几个查天气的渠道，再按气温给个穿衣参考表。'],
      ['用一个小表格列气温和穿衣建议，应该挺实用。\n', '嗯，就这样：先说明情况，再给渠道和表格。\n'],
    ],
    answer: [
      ['\n\n抱歉，我无法获取实时天气数据，所以没法告诉你今天（{date}）的具体天气 🙏\n\n', '\n\n我这边没有联网的气象数据，今天（{date}）的天气需要你查一下实时预报 🌤️\n\n'],
      [
        '## 推荐的查询方式\n\n- **中国天气网**或**中央气象台**官网\n- 手机自带的**天气应用**\n- 地图类 App，出行时还能看到路况\n\n',
        '## 去哪里查\n\n- 手机上的**天气 App**（最方便）\n- **中央气象台**网站，有预警信息\n- 搜索引擎直接搜“城市名 + 天气”\n\n',
      ],
      [
        '## 按气温穿衣参考\n\n| 气温 | 建议穿着 |\n| --- | --- |\n| 28℃ 以上 | 短袖、短裤，注意防晒 |\n| 20–27℃ | 薄长袖、T 恤 |\n| 10–19℃ | 外套、卫衣或薄毛衣 |\n| 0–9℃ | 厚外套、毛衣 |\n| 0℃ 以下 | 羽绒服、帽子、手套 |\n\n',
      ],
      ['出门前看一眼**降水概率**，超过 40% 最好带把伞 ☂️', '如果预报有雨，记得带伞 ☂️；有大风或高温预警时尽量减少户外活动。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user asks: "{question}". That\'s a weather question. ', '\nOkay, they want to know about the weather: "{question}". '],
      ["The problem is I don't have live data, so I can't know today's ({date}) actual weather. ", "Wait — I can't look up real-time forecasts. Today is {date}, but the conditions outside are unknown to me. "],
      ["I shouldn't invent a temperature; that would mislead them. ", 'Making up a number would be worse than admitting it. '],
      ['But I can point them to reliable sources and give general advice on what to wear. ', 'I can suggest where to check and add a quick temperature-to-clothing guide. '],
      ["A small table for clothing by temperature should be handy.\n", "Right: be honest, give sources, add the table.\n"],
    ],
    answer: [
      ["\n\nSorry, I don't have access to live weather data, so I can't tell you the exact conditions for today ({date}) 🙏\n\n", "\n\nI can't check real-time weather from here, so for today ({date}) you'll need a live forecast 🌤️\n\n"],
      [
        "## Where to Check\n\n- Your phone's built-in **weather app**\n- Your national weather service (for example the **Met Office** or **weather.gov**)\n- A map app, which also shows traffic\n\n",
        '## Good Sources\n\n- A **weather app** on your phone (quickest)\n- The **national meteorological service** website for warnings\n- A search for "weather" plus your city name\n\n',
      ],
      [
        '## What to Wear\n\n| Temperature | Suggested clothing |\n| --- | --- |\n| Above 28 °C (82 °F) | T-shirt and shorts, sunscreen |\n| 20–27 °C (68–81 °F) | Light long sleeves or a T-shirt |\n| 10–19 °C (50–67 °F) | Jacket, hoodie or light sweater |\n| 0–9 °C (32–49 °F) | Warm coat and sweater |\n| Below 0 °C (32 °F) | Down jacket, hat and gloves |\n\n',
      ],
      ['Check the **chance of rain** before you leave; above 40%, take an umbrella ☂️', 'If rain is forecast, bring an umbrella ☂️, and limit time outdoors during heat or wind warnings.'],
    ],
  },
};

/** "帮我做个三日游计划" / "plan a 3-day trip". */
export const travelPlan: Scenario = {
  id: 'travel-plan',
  match: [/旅行|旅游|行程|攻略|日游|travel|trip|itinerary|vacation/, /[一二三四五六七两\d] ?[日天]游|\d+[ -]?days? (trip|itinerary)|自由行|day trip|itinerary|行程(规划|安排)/],
  zh: {
    thinking: [
      ['\n用户想要一个旅行计划：“{question}”。', '\n好的，用户让我帮忙规划行程：“{question}”。'],
      ['他没有说预算和同行人员，我先按一个人或两个人、中等预算来考虑。', '预算、出行人数都没提，我就按普通自由行、中等预算来安排。'],
      ['三天比较常见，节奏不能太赶：每天安排一个主区域，上午一个重点景点，下午轻松一些。', '行程的关键是按区域排，避免来回折腾。每天两三个点就够了。'],
      ['等等，还应该提醒他提前预约热门景点、订酒店、看天气。', '对了，出发前的准备也要写：证件、预约、天气、交通卡。'],
      ['用“第一天/第二天/第三天”加嵌套列表的格式，最后给个准备清单。\n', '嗯，分天写，每天用嵌套列表分上午、下午、晚上。\n'],
    ],
    answer: [
      ['\n\n好的！下面是一个**三天城市自由行**的通用模板，你可以替换成具体目的地 ✈️\n\n', '\n\n没问题 😊 先给你一个**三日游**的行程框架，节奏适中，不赶路：\n\n'],
      [
        '## 📅 行程安排\n\n1. **第一天：老城区与地标**\n   - 上午：最有代表性的博物馆或古迹\n   - 下午：老街区散步，逛本地小店\n   - 晚上：尝一顿当地特色菜\n2. **第二天：自然与郊外**\n   - 上午：出发去郊区的山、湖或古镇\n   - 下午：慢慢逛，留出拍照时间\n   - 晚上：回城，早点休息\n3. **第三天：城市生活**\n   - 上午：公园或早市，感受本地人的日常\n   - 下午：购物、买伴手礼\n   - 晚上：返程\n\n',
        '## 📅 每日安排\n\n1. **Day 1 · 地标打卡**\n   - 上午：城市最著名的景点（提前预约）\n   - 下午：周边街区步行游览\n   - 晚上：夜景 + 当地美食\n2. **Day 2 · 郊外一日**\n   - 上午：去郊区自然风景区\n   - 下午：徒步或乘船\n   - 晚上：回酒店休整\n3. **Day 3 · 慢游收尾**\n   - 上午：博物馆或艺术区\n   - 下午：市集、咖啡馆，买特产\n   - 晚上：收拾行李返程\n\n',
      ],
      [
        '## 🎒 出发前准备\n\n- [ ] 身份证件、车票或机票\n- [ ] 热门景点**提前预约**\n- [ ] 酒店尽量订在地铁站附近\n- [ ] 查看目的地天气，准备衣物\n- [ ] 充电宝、常用药品\n\n',
        '## 🎒 准备清单\n\n- [ ] 证件和交通票据\n- [ ] 需要预约的景点先约好\n- [ ] 住宿选在交通方便的区域\n- [ ] 出发前一天看天气预报\n- [ ] 充电宝、雨具、常用药\n\n',
      ],
      ['告诉我**目的地、预算和出行人数**，我可以帮你细化到具体景点和交通方式。', '如果你告诉我具体去哪里、几个人、预算多少，我可以把计划做得更具体。'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants a travel plan: "{question}". ', '\nOkay, they are asking me to plan a trip: "{question}". '],
      ["They didn't mention a budget or who is travelling, so I'll assume one or two people on a mid-range budget. ", 'No budget or group size given — a mid-range independent trip is a sensible default. '],
      ['Three days is a common length. The pace matters: one area per day, one highlight in the morning, something lighter in the afternoon. ', 'The key is grouping sights by area so they are not criss-crossing the city. Two or three stops a day is plenty. '],
      ['Wait, I should also remind them about booking popular sights, hotels and checking the weather. ', 'Oh, and a packing and preparation checklist would be useful too. '],
      ["I'll do Day 1 / Day 2 / Day 3 with nested lists, then a checklist.\n", 'Day-by-day, with morning, afternoon and evening as nested items.\n'],
    ],
    answer: [
      ["\n\nHere's a general **three-day city trip** template you can adapt to any destination ✈️\n\n", "\n\nSure 😊 Here's a relaxed **3-day itinerary** framework:\n\n"],
      [
        '## 📅 Itinerary\n\n1. **Day 1: Old town and landmarks**\n   - Morning: the main museum or historic site\n   - Afternoon: wander the old streets and local shops\n   - Evening: a dinner of local specialities\n2. **Day 2: Nature and the outskirts**\n   - Morning: head out to nearby hills, a lake or a historic village\n   - Afternoon: take it slow and leave time for photos\n   - Evening: back to town, early night\n3. **Day 3: City life**\n   - Morning: a park or morning market\n   - Afternoon: shopping and souvenirs\n   - Evening: travel home\n\n',
        '## 📅 Day by Day\n\n1. **Day 1 · Landmarks**\n   - Morning: the most famous sight (book ahead)\n   - Afternoon: a walking tour of the surrounding district\n   - Evening: city views and local food\n2. **Day 2 · Day trip**\n   - Morning: a scenic area outside the city\n   - Afternoon: hiking or a boat ride\n   - Evening: rest at the hotel\n3. **Day 3 · Slow finish**\n   - Morning: a museum or arts district\n   - Afternoon: markets, cafés, gifts\n   - Evening: pack up and head home\n\n',
      ],
      [
        '## 🎒 Before You Go\n\n- [ ] ID or passport, tickets\n- [ ] **Book** popular attractions in advance\n- [ ] Stay near public transport\n- [ ] Check the forecast and pack accordingly\n- [ ] Power bank and basic medicine\n\n',
        '## 🎒 Checklist\n\n- [ ] Documents and travel tickets\n- [ ] Reservations for timed-entry sights\n- [ ] Accommodation in a well-connected area\n- [ ] Weather check the day before\n- [ ] Charger, rain gear, medicine\n\n',
      ],
      ['Tell me your **destination, budget and group size** and I can fill in specific sights and transport.', 'If you share where you are going, how many people and your budget, I can make this much more specific.'],
    ],
  },
};
