import type { Scenario } from '../corpus-types.js';

/** "介绍一下北京" / "tell me about Beijing". */
export const beijing: Scenario = {
  id: 'beijing',
  match: [/北京|beijing|peking/],
  zh: {
    thinking: [
      ['\n嗯，用户让我介绍一下北京。', '\n好的，用户想了解北京。'],
      ['首先我得确定从哪些方面来介绍：基本情况、历史、景点、美食，应该就够全面了。', '我先想想结构：基本信息、历史文化、著名景点、特色美食，这几块比较常见。'],
      ['北京是中国的首都，常住人口大约 2100 多万，面积约 1.64 万平方公里。', '基本数据：首都，常住人口两千一百多万，面积一万六千多平方公里。'],
      ['历史方面，北京建城有三千多年，作为都城也有八百多年，从金中都、元大都一直到明清。', '历史上，北京有三千多年建城史，金、元、明、清都在这里建都。'],
      ['景点要提故宫、长城、天坛、颐和园，还有胡同。等等，2008 年夏奥会和 2022 年冬奥会也值得一提，北京是第一个“双奥之城”。', '景点的话，故宫、八达岭或慕田峪长城、天坛、颐和园都得有。对了，北京还是唯一同时举办过夏季和冬季奥运会的城市。'],
      ['美食就说北京烤鸭、炸酱面、涮羊肉。最后再给个旅游季节的建议，春秋最好。', '吃的方面，烤鸭、炸酱面、铜锅涮肉。最后补一句：最佳旅行时间是秋天。'],
      ['用标题和列表组织一下，读起来更清楚。\n', '嗯，用 Markdown 分几个小节，就这样写。\n'],
    ],
    answer: [
      ['\n\n# 北京简介\n\n', '\n\n# 认识北京\n\n'],
      [
        '北京是**中华人民共和国的首都**，也是全国的政治、文化和国际交往中心。全市面积约 **1.64 万平方公里**，常住人口约 **2180 万**。\n\n',
        '北京是**中国的首都**，全国政治中心、文化中心和国际交往中心。城市总面积约 **16,410 平方公里**，常住人口两千一百多万。\n\n',
      ],
      [
        '## 🏛️ 历史\n\n北京有 **3000 多年**的建城史和 **800 多年**的建都史。金中都、元大都、明清北京城一脉相承，今天的中轴线就是明清城市规划的骨架。\n\n',
        '## 🏛️ 历史文化\n\n北京建城已有三千多年，自金代起先后成为金、元、明、清的都城。2024 年，**北京中轴线**被列入世界遗产名录。\n\n',
      ],
      [
        '## 📍 必去景点\n\n1. **故宫**：明清两代的皇宫，世界上现存规模最大的木结构宫殿建筑群\n2. **长城**：推荐八达岭（交通方便）或慕田峪（人少景美）\n3. **天坛**：明清皇帝祭天的地方，祈年殿很有代表性\n4. **颐和园**：皇家园林，昆明湖和长廊值得慢慢逛\n5. **胡同**：南锣鼓巷、什刹海一带能感受老北京的生活\n\n',
        '## 📍 热门景点\n\n1. **故宫博物院**：又称紫禁城，1420 年建成，藏品超过 180 万件\n2. **长城**：八达岭最经典，慕田峪风景更好、游客更少\n3. **天坛**：古代祭天建筑群，回音壁很有意思\n4. **颐和园**：中国现存最完整的皇家园林之一\n5. **鸟巢和水立方**：2008 年奥运会场馆，北京也是全球首个“双奥之城”\n\n',
      ],
      [
        '## 🍜 特色美食\n\n- **北京烤鸭**：皮脆肉嫩，配薄饼、葱丝和甜面酱\n- **炸酱面**：老北京家常味道\n- **铜锅涮肉**：冬天必吃\n- **豆汁儿和焦圈**：口味独特，可以勇敢尝试一下\n\n',
        '## 🍜 吃什么\n\n- **烤鸭**：最有名的北京菜\n- **炸酱面**：配上黄瓜丝、豆芽等菜码\n- **涮羊肉**：清汤铜锅，蘸麻酱\n- **卤煮、爆肚**：地道的北京小吃\n\n',
      ],
      [
        '> 💡 **旅行建议**：北京属于温带季风气候，夏季炎热多雨，冬季寒冷干燥。**9–10 月**秋高气爽，是最适合旅游的季节。\n',
        '> 💡 **小贴士**：春秋两季最舒服，尤其是 **9 月到 10 月**；热门景点如故宫需要提前在网上实名预约。\n',
      ],
    ],
  },
  en: {
    thinking: [
      ['\nOkay, the user wants me to tell them about Beijing. ', '\nAlright, the user is asking about Beijing. '],
      ['Let me figure out the structure first: basic facts, history, sights, food. That should cover it. ', 'I should organise this: overview, history, main attractions, food, and maybe a travel tip. '],
      ["Basic facts: it's the capital of China, about 21.8 million residents, roughly 16,400 km². ", 'Capital of China, population around 21–22 million, area about 16,410 square kilometres. '],
      ['History: over 3,000 years as a city and about 800 years as a capital — Jin, Yuan, Ming and Qing. ', 'The city dates back more than 3,000 years, and it has been a capital since the Jin dynasty, through the Yuan, Ming and Qing. '],
      ['Sights: the Forbidden City, the Great Wall, the Temple of Heaven, the Summer Palace, the hutongs. Wait, the Olympics — Beijing hosted both the 2008 Summer and 2022 Winter Games, the first city to do both. ', 'For sights, the Forbidden City, the Great Wall at Badaling or Mutianyu, the Temple of Heaven, the Summer Palace. Oh, and it is the only city to have hosted both Summer and Winter Olympics. '],
      ['Food: Peking duck, zhajiangmian, hot pot with lamb. And the best time to visit is autumn. ', 'Food: roast duck, of course, plus noodles with soybean paste and copper-pot lamb. Autumn is the best season. '],
      ["I'll use headings and lists so it is easy to scan.\n", 'Markdown with a few sections should work well. Let me write it.\n'],
    ],
    answer: [
      ['\n\n# Beijing at a Glance\n\n', '\n\n# An Introduction to Beijing\n\n'],
      [
        "Beijing is the **capital of the People's Republic of China** and the country's political and cultural centre. It covers about **16,410 km²** and has roughly **21.8 million** residents.\n\n",
        'Beijing is **the capital of China**, home to about **22 million people** across some **16,400 square kilometres**. It is the centre of the country\'s government, culture and international exchange.\n\n',
      ],
      [
        '## 🏛️ History\n\nThe city has more than **3,000 years** of history and has been a capital for about **800 years**, under the Jin, Yuan, Ming and Qing dynasties. Its central axis still follows the Ming and Qing city plan.\n\n',
        '## 🏛️ History and Culture\n\nSettlements here go back over three millennia, and Beijing became an imperial capital in the 12th century. In 2024 the **Beijing Central Axis** was added to the UNESCO World Heritage List.\n\n',
      ],
      [
        "## 📍 Must-See Sights\n\n1. **The Forbidden City**: the Ming and Qing imperial palace, the world's largest surviving wooden palace complex\n2. **The Great Wall**: Badaling is the easiest to reach; Mutianyu is quieter and greener\n3. **The Temple of Heaven**: where emperors prayed for good harvests\n4. **The Summer Palace**: a vast imperial garden around Kunming Lake\n5. **The hutongs**: old alleyways around Nanluoguxiang and Shichahai\n\n",
        "## 📍 Top Attractions\n\n1. **Forbidden City (Palace Museum)**: completed in 1420, with a collection of over 1.8 million objects\n2. **Great Wall**: Badaling is the classic; Mutianyu has fewer crowds\n3. **Temple of Heaven**: famous for the Hall of Prayer for Good Harvests\n4. **Summer Palace**: one of the best-preserved imperial gardens in China\n5. **Bird's Nest and Water Cube**: venues of the 2008 Olympics — Beijing also hosted the 2022 Winter Games\n\n",
      ],
      [
        '## 🍜 Food\n\n- **Peking duck**: crispy skin, thin pancakes, scallions and sweet bean sauce\n- **Zhajiangmian**: noodles with fried soybean paste\n- **Copper-pot lamb hot pot**: perfect in winter\n- **Douzhi**: fermented mung-bean drink, for the adventurous\n\n',
        '## 🍜 What to Eat\n\n- **Roast duck**: the city\'s signature dish\n- **Noodles with soybean paste**, topped with cucumber and bean sprouts\n- **Instant-boiled lamb** with sesame dipping sauce\n- **Street snacks** like baozi and jianbing for breakfast\n\n',
      ],
      [
        '> 💡 **Travel tip:** Beijing has hot, rainy summers and cold, dry winters. **September and October** are the most pleasant months to visit.\n',
        '> 💡 **Tip:** spring and autumn are the most comfortable seasons, especially **September–October**. Book popular sights such as the Forbidden City online in advance.\n',
      ],
    ],
  },
  followUp: {
    zh: {
      thinking: [
        ['\n用户之前问的是“{previous}”，现在又问“{question}”。', '\n嗯，上一轮是“{previous}”，这次是“{question}”。'],
        ['看来是想更深入地了解北京，上次讲过的基本信息就不用重复了。', '他应该是对北京感兴趣，想听点更具体的，基本介绍不必再讲。'],
        ['可以讲讲胡同文化、交通出行和一些小众去处。', '这次可以补充出行方式、小众景点和本地人的生活方式。'],
        ['地铁是最方便的，线路很多；小众一点的有景山公园看故宫全景、798 艺术区、北海公园。', '交通推荐地铁加共享单车；小众景点有景山、北海、国子监和 798。'],
        ['用列表写清楚，最后问问他还想了解哪方面。\n', '就这样，简洁分点，最后留个开放问题。\n'],
      ],
      answer: [
        ['\n\n好的，在刚才的基础上再补充一些 😊\n\n', '\n\n没问题，接着刚才的话题，再多说一点北京：\n\n'],
        [
          '## 🚇 出行\n\n- **地铁**覆盖了几乎所有主要景点，用手机扫码即可进站\n- 短距离可以骑**共享单车**，胡同里尤其方便\n- 早晚高峰（7:00–9:00、17:00–19:00）尽量避开\n\n',
          '## 🚇 交通\n\n- 首选**地铁**，线路多、准点，手机扫码乘车\n- 胡同和公园之间用**共享单车**最灵活\n- 工作日高峰期地铁很挤，安排行程时错开\n\n',
        ],
        [
          '## 🌿 小众去处\n\n1. **景山公园**：登上万春亭，可以俯瞰整个故宫\n2. **北海公园**：划船、看白塔\n3. **国子监和孔庙**：安静，很有书卷气\n4. **798 艺术区**：工厂改造的当代艺术区\n\n',
          '## 🌿 本地人常去的地方\n\n1. **景山**：看故宫全景的最佳位置\n2. **什刹海**：傍晚散步、听胡同里的京腔\n3. **国子监街**：古树成荫，适合慢慢走\n4. **798 艺术区**：画廊、咖啡馆和展览\n\n',
        ],
        ['还想了解北京的哪个方面？比如住宿区域或者具体的一日路线。', '需要的话，我可以帮你把这些排成一条具体路线。'],
      ],
    },
    en: {
      thinking: [
        ['\nThe user previously asked "{previous}", and now "{question}". ', '\nOkay, last turn was "{previous}"; this one is "{question}". '],
        ['So they want to go deeper into Beijing. No need to repeat the basics. ', "They're clearly interested in Beijing — I should add new detail rather than repeat myself. "],
        ['I could cover getting around, lesser-known spots and local life. ', 'Good additions: transport, quieter places, a bit of local culture. '],
        ["Getting around: the metro is the easiest; shared bikes for hutongs. Quieter spots: Jingshan Park for the view over the Forbidden City, Beihai Park, the Imperial College, 798. ", 'Metro plus bike share for transport. Less touristy: Jingshan, Beihai, Guozijian Street, the 798 Art District. '],
        ["I'll keep it in lists and end with an open question.\n", 'Short sections, then ask what else they want.\n'],
      ],
      answer: [
        ['\n\nSure — building on what we covered, here is more about Beijing 😊\n\n', '\n\nHappy to go further! A few more things about Beijing:\n\n'],
        [
          '## 🚇 Getting Around\n\n- The **metro** reaches almost every major sight and accepts mobile QR payment\n- **Shared bikes** are ideal for the hutongs\n- Avoid rush hours (7:00–9:00 and 17:00–19:00) if you can\n\n',
          '## 🚇 Transport\n\n- Take the **subway** first: extensive, punctual, cheap\n- Use **bike share** for short hops between parks and alleys\n- Trains are packed at weekday rush hours, so plan around them\n\n',
        ],
        [
          '## 🌿 Quieter Spots\n\n1. **Jingshan Park**: climb to the top for a view over the whole Forbidden City\n2. **Beihai Park**: rent a boat and see the White Dagoba\n3. **Imperial College and Confucius Temple**: calm and shady\n4. **798 Art District**: contemporary art in old factory buildings\n\n',
          '## 🌿 Where Locals Go\n\n1. **Jingshan**: the best panorama of the palace roofs\n2. **Shichahai**: lakeside walks at dusk\n3. **Guozijian Street**: old trees and quiet courtyards\n4. **798**: galleries, cafés and exhibitions\n\n',
        ],
        ['What else would you like to know — where to stay, or a day-by-day route?', 'If you like, I can turn these into a concrete one-day route.'],
      ],
    },
  },
};

/** "介绍一下上海" / "tell me about Shanghai". */
export const shanghai: Scenario = {
  id: 'shanghai',
  match: [/上海|shanghai|魔都/],
  zh: {
    thinking: [
      ['\n用户想了解上海。', '\n嗯，用户问的是上海。'],
      ['上海是中国人口最多的城市，常住人口大约 2480 万，也是经济和金融中心。', '先说定位：直辖市，国际经济、金融、贸易和航运中心，常住人口两千四百多万。'],
      ['地理上它在长江入海口，黄浦江穿城而过，把城市分成浦西和浦东。', '位置：长江三角洲东端，黄浦江把它分成浦西老城区和浦东新区。'],
      ['景点要有外滩、陆家嘴、豫园、南京路、武康路。等等，上海中心大厦 632 米，是中国最高的建筑，这个数字要写对。', '外滩的万国建筑群、陆家嘴的三件套、豫园、新天地都要提。上海中心大厦高 632 米，别写错。'],
      ['美食就写小笼包、生煎、本帮红烧肉。再提一下上海港，集装箱吞吐量多年世界第一。', '吃的：小笼、生煎、葱油拌面、本帮菜。还可以提上海港是全球最繁忙的集装箱港口。'],
      ['和北京那样用小标题组织就好。\n', '结构清楚一点，标题加列表。\n'],
    ],
    answer: [
      ['\n\n# 上海简介\n\n', '\n\n# 认识上海 🌆\n\n'],
      [
        '上海位于**长江入海口**，是中国人口最多的城市（常住人口约 **2480 万**），也是国际**经济、金融、贸易和航运中心**。黄浦江穿城而过，西边是老城区浦西，东边是新兴的浦东。\n\n',
        '上海是中国的直辖市之一，常住人口约 **2480 万**，是全国最大的经济中心城市。上海港的集装箱吞吐量**多年位居世界第一**。\n\n',
      ],
      [
        '## 📍 代表性景点\n\n- **外滩**：黄浦江西岸的“万国建筑博览群”，夜景尤其漂亮\n- **陆家嘴**：东方明珠、金茂大厦、环球金融中心和 **632 米**高的上海中心大厦\n- **豫园和城隍庙**：明代江南园林和传统小吃\n- **武康路、衡山路**：梧桐树下的老洋房\n- **南京路步行街**：老牌商业街\n\n',
        '## 📍 值得一去\n\n- **外滩**：近代建筑群，和对岸的陆家嘴天际线隔江相望\n- **上海中心大厦**：高 **632 米**，中国第一高楼，顶层有观光厅\n- **豫园**：始建于明代的江南园林\n- **新天地和田子坊**：石库门里弄改造的街区\n- **朱家角**：离市区不远的水乡古镇\n\n',
      ],
      [
        '## 🥟 美食\n\n1. **小笼包**：南翔小笼最有名，先咬小口喝汤\n2. **生煎包**：底部焦脆\n3. **本帮红烧肉**：浓油赤酱，甜咸口\n4. **葱油拌面**：简单却很地道\n\n',
        '## 🥟 吃什么\n\n1. **小笼包**：皮薄汤多\n2. **生煎**：上海人的早餐\n3. **本帮菜**：红烧肉、油爆虾、腌笃鲜\n4. **葱油拌面**：街头小店就能吃到\n\n',
      ],
      ['> 💡 上海地铁线路总长度位居世界前列，去大多数景点坐地铁都很方便。春季（4–5 月）和秋季（10–11 月）最适合出游。\n', '> 💡 春秋两季气候最舒服；6 月中旬到 7 月初是梅雨季，出门记得带伞。\n'],
    ],
  },
  en: {
    thinking: [
      ['\nThe user wants to know about Shanghai. ', '\nOkay, a question about Shanghai. '],
      ["It's China's most populous city, about 24.8 million people, and its financial and commercial hub. ", 'Position first: a municipality, China\'s economic and financial centre, with roughly 24.8 million residents. '],
      ['Geography: at the mouth of the Yangtze, split by the Huangpu River into Puxi and Pudong. ', 'It sits on the Yangtze River Delta; the Huangpu divides old Puxi from newer Pudong. '],
      ['Sights: the Bund, Lujiazui, Yu Garden, Nanjing Road, the former French Concession. Wait — Shanghai Tower is 632 m, the tallest building in China; I should get that number right. ', 'The Bund, the Lujiazui skyline, Yu Garden and Xintiandi. Shanghai Tower: 632 metres, tallest in China. '],
      ["Food: xiaolongbao, shengjian, braised pork. And the port — the world's busiest container port for years. ", "Food: soup dumplings, pan-fried buns, scallion-oil noodles. Plus the port, busiest container port in the world. "],
      ['Same structure as a city overview: headings and lists.\n', "Headings and lists, like a short guide. Let's write it.\n"],
    ],
    answer: [
      ['\n\n# Shanghai at a Glance\n\n', '\n\n# Getting to Know Shanghai 🌆\n\n'],
      [
        "Shanghai sits at the **mouth of the Yangtze River** and is China's most populous city, with about **24.8 million** residents. It is the country's leading centre for **finance, trade and shipping**. The Huangpu River divides historic Puxi from modern Pudong.\n\n",
        "Shanghai is one of China's four municipalities and its largest economic hub, home to roughly **24.8 million** people. Its port has been the **world's busiest container port** for more than a decade.\n\n",
      ],
      [
        '## 📍 Highlights\n\n- **The Bund**: a riverside row of early 20th-century buildings, best at night\n- **Lujiazui**: the Oriental Pearl Tower, Jin Mao Tower and the **632 m** Shanghai Tower\n- **Yu Garden**: a Ming-dynasty classical garden next to a busy bazaar\n- **Former French Concession**: plane trees, cafés and old villas\n- **Nanjing Road**: the classic shopping street\n\n',
        "## 📍 Worth a Visit\n\n- **The Bund**: colonial-era architecture facing Pudong's skyline\n- **Shanghai Tower**: **632 m**, China's tallest building, with an observation deck\n- **Yu Garden**: a classical garden begun in the Ming dynasty\n- **Xintiandi and Tianzifang**: restored shikumen lane houses\n- **Zhujiajiao**: a canal town within easy reach of the city\n\n",
      ],
      [
        '## 🥟 Food\n\n1. **Xiaolongbao**: soup dumplings — bite a small hole and sip the broth first\n2. **Shengjian**: pan-fried buns with crispy bottoms\n3. **Hongshao rou**: sweet-savoury braised pork belly\n4. **Scallion-oil noodles**: simple and very local\n\n',
        '## 🥟 What to Eat\n\n1. **Soup dumplings**: thin skin, lots of broth\n2. **Pan-fried buns**: a classic breakfast\n3. **Benbang dishes**: braised pork, fried river shrimp\n4. **Scallion-oil noodles**: found in small neighbourhood shops\n\n',
      ],
      ['> 💡 The metro is one of the longest in the world and reaches almost every sight. Spring (April–May) and autumn (October–November) are the best seasons.\n', '> 💡 Spring and autumn are the most comfortable; mid-June to early July is the rainy "plum rain" season, so bring an umbrella.\n'],
    ],
  },
};
