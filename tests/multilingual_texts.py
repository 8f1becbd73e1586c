"""Two events, each reported in English and in six other languages (written for these tests):
a prisoner exchange between Russia and Ukraine, and EU-China talks on electric-car tariffs."""

from __future__ import annotations

SWAP = {
    "en": ("Russia and Ukraine swap 150 prisoners each",
           "Russia and Ukraine swapped 150 prisoners of war each on Tuesday in an exchange mediated "
           "by the United Arab Emirates, both sides said. Ukraine's President Volodymyr Zelensky "
           "said the freed soldiers included defenders of Mariupol. Russia's defence ministry said "
           "its servicemen were being flown to Moscow for medical treatment. It was the third "
           "exchange this year."),
    "ru": ("Россия и Украина обменялись пленными по формуле 150 на 150",
           "Россия и Украина во вторник обменялись военнопленными по формуле 150 на 150 при "
           "посредничестве Объединённых Арабских Эмиратов, сообщили обе стороны. Министерство "
           "обороны России заявило, что освобождённых военнослужащих доставят в Москву для лечения. "
           "Президент Украины Владимир Зеленский сказал, что среди вернувшихся есть защитники "
           "Мариуполя. Это третий обмен в этом году."),
    "ar": ("روسيا وأوكرانيا تتبادلان 150 أسيرا من كل جانب",
           "تبادلت روسيا وأوكرانيا يوم الثلاثاء 150 أسير حرب من كل جانب، في عملية تبادل جرت بوساطة "
           "الإمارات العربية المتحدة، بحسب ما أعلن الطرفان. وقالت وزارة الدفاع الروسية إن العسكريين "
           "المفرج عنهم سينقلون إلى موسكو لتلقي العلاج. وقال الرئيس الأوكراني فولوديمير زيلينسكي إن "
           "بين العائدين مدافعين عن ماريوبول. وهذه عملية التبادل الثالثة هذا العام."),
    "fr": ("La Russie et l'Ukraine échangent 150 prisonniers chacune",
           "La Russie et l'Ukraine ont échangé mardi 150 prisonniers de guerre chacune, lors d'un "
           "échange négocié par les Émirats arabes unis, ont annoncé les deux parties. Le ministère "
           "russe de la Défense a indiqué que les militaires libérés seraient transportés à Moscou "
           "pour y être soignés. Le président ukrainien Volodymyr Zelensky a déclaré que des "
           "défenseurs de Marioupol figuraient parmi les soldats libérés. Il s'agit du troisième "
           "échange cette année."),
    "de": ("Russland und die Ukraine tauschen je 150 Gefangene aus",
           "Russland und die Ukraine haben am Dienstag jeweils 150 Kriegsgefangene ausgetauscht. Der "
           "Austausch wurde von den Vereinigten Arabischen Emiraten vermittelt, teilten beide Seiten "
           "mit. Das russische Verteidigungsministerium erklärte, die freigelassenen Soldaten würden "
           "zur Behandlung nach Moskau geflogen. Der ukrainische Präsident Wolodymyr Selenskyj sagte, "
           "unter den Freigelassenen seien Verteidiger von Mariupol. Es ist der dritte Austausch in "
           "diesem Jahr."),
    "ja": ("ロシアとウクライナ、捕虜150人ずつを交換",
           "ロシアとウクライナは火曜日、アラブ首長国連邦の仲介で、それぞれ150人の戦争捕虜を交換したと"
           "双方が発表した。ロシア国防省は、解放された兵士は治療のためモスクワに移送されると述べた。"
           "ウクライナのゼレンスキー大統領は、帰還した兵士の中にマリウポリの防衛者が含まれていると"
           "語った。今年3回目の捕虜交換となる。"),
    "zh": ("俄乌各交换150名战俘",
           "俄罗斯和乌克兰周二在阿拉伯联合酋长国斡旋下各交换150名战俘，双方均宣布了这一消息。"
           "俄罗斯国防部表示，获释军人将被送往莫斯科接受治疗。乌克兰总统泽连斯基说，获释人员中"
           "包括马里乌波尔的守卫者。这是今年第三次交换战俘。"),
}

TARIFF_TALKS = {
    "en": ("EU and China end tariff talks without a deal",
           "The European Union and China held a new round of talks in Brussels on Wednesday over EU "
           "tariffs on Chinese electric vehicles, without reaching a deal. EU trade commissioner "
           "Maros Sefcovic met China's commerce minister Wang Wentao for four hours. Both sides "
           "agreed to keep negotiating a minimum price arrangement that could replace the duties of "
           "up to 35.3 percent. Beijing has threatened to retaliate with duties on European brandy "
           "and pork."),
    "ru": ("ЕС и Китай не договорились о пошлинах на электромобили",
           "Европейский союз и Китай провели в среду в Брюсселе новый раунд переговоров о пошлинах "
           "ЕС на китайские электромобили, но соглашения не достигли. Еврокомиссар по торговле "
           "Марош Шефчович четыре часа беседовал с министром коммерции Китая Ван Вэньтао. Стороны "
           "договорились продолжить обсуждение минимальных цен, которые могли бы заменить пошлины "
           "размером до 35,3 процента. Пекин пригрозил ответными пошлинами на европейский коньяк и "
           "свинину."),
    "ar": ("الاتحاد الأوروبي والصين يختتمان محادثات الرسوم دون اتفاق",
           "عقد الاتحاد الأوروبي والصين يوم الأربعاء في بروكسل جولة جديدة من المحادثات بشأن الرسوم "
           "الجمركية الأوروبية على السيارات الكهربائية الصينية، من دون التوصل إلى اتفاق. والتقى "
           "مفوض التجارة الأوروبي ماروش شيفتشوفيتش وزير التجارة الصيني وانغ ون تاو لمدة أربع ساعات. "
           "واتفق الجانبان على مواصلة التفاوض بشأن حد أدنى للأسعار قد يحل محل الرسوم البالغة حتى "
           "35.3 في المئة. وهددت بكين بفرض رسوم انتقامية على البراندي ولحم الخنزير الأوروبيين."),
    "fr": ("Droits de douane : l'UE et la Chine se quittent sans accord",
           "L'Union européenne et la Chine ont tenu mercredi à Bruxelles un nouveau cycle de "
           "discussions sur les droits de douane européens visant les véhicules électriques chinois, "
           "sans parvenir à un accord. Le commissaire européen au commerce Maros Sefcovic a rencontré "
           "pendant quatre heures le ministre chinois du Commerce Wang Wentao. Les deux parties sont "
           "convenues de poursuivre les négociations sur des prix minimaux qui pourraient remplacer "
           "les droits allant jusqu'à 35,3 %. Pékin menace de riposter par des taxes sur le cognac "
           "et le porc européens."),
    "de": ("EU und China ohne Einigung im Zollstreit",
           "Die Europäische Union und China haben am Mittwoch in Brüssel eine neue Runde von "
           "Gesprächen über EU-Zölle auf chinesische Elektroautos geführt, ohne eine Einigung zu "
           "erzielen. EU-Handelskommissar Maros Sefcovic traf sich vier Stunden lang mit Chinas "
           "Handelsminister Wang Wentao. Beide Seiten vereinbarten, weiter über Mindestpreise zu "
           "verhandeln, die die Zölle von bis zu 35,3 Prozent ersetzen könnten. Peking hat mit "
           "Vergeltungszöllen auf europäischen Weinbrand und Schweinefleisch gedroht."),
    "ja": ("EUと中国、EV関税協議で合意至らず",
           "欧州連合（EU）と中国は水曜日、ブリュッセルで中国製電気自動車（EV）に対するEUの関税を"
           "めぐる新たな協議を行ったが、合意には至らなかった。EUのシェフチョビッチ欧州委員（通商"
           "担当）は中国の王文濤商務相と4時間にわたり会談した。双方は、最大35.3％の関税に代わり"
           "得る最低価格の取り決めについて交渉を続けることで合意した。中国は欧州産のブランデーや"
           "豚肉に報復関税を課すと警告している。"),
    "zh": ("中欧电动汽车关税谈判未达成协议",
           "欧盟和中国周三在布鲁塞尔就欧盟对中国电动汽车征收关税问题举行新一轮谈判，但未能达成"
           "协议。欧盟贸易专员谢夫乔维奇与中国商务部部长王文涛会谈了四个小时。双方同意继续就可能"
           "取代最高35.3%关税的价格承诺方案进行谈判。北京此前威胁对欧洲白兰地和猪肉征收报复性关税。"),
}
