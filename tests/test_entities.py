"""The entity stage: what a reader of the entity tables would notice when it goes wrong.

Matcher behaviours run against a small gazetteer (tests/data/gazetteer_small.csv) so they do not
depend on the full one; the seed tests use data/gazetteer.csv through the real pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.common.textnorm import to_simplified
from dashboard.ingest import entities, gazetteer
from dashboard.ingest.pipeline import PipelineContext
from dashboard.ingest.report import IngestReport
from dashboard.tables.paths import GAZETTEER_CSV

SMALL_GAZETTEER = Path(__file__).parent / "data" / "gazetteer_small.csv"


def frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "text": list(texts),
            "text_simplified": [to_simplified(t) for t in texts],
        }
    )


def extract(*texts: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return entities.extract(frame(*texts), entities.load_matcher(str(SMALL_GAZETTEER)))


def found(text: str) -> list[tuple[str, str]]:
    mentions, _ = extract(text)
    return list(zip(mentions["surface"], mentions["entity_id"], strict=True))


def test_honorifics_and_titles_are_not_part_of_the_name():
    assert found("敬爱的金正恩同志会见了俄罗斯联邦总统普京同志。") == [
        ("金正恩", "person:kim_jong_un"),
        ("俄罗斯联邦", "RUS"),
        ("普京", "person:vladimir_putin"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("朝俄关系进入新阶段。", [("朝", "PRK"), ("俄", "RUS")]),
        ("俄方表示欢迎。", [("俄", "RUS")]),
        ("代表团本月9日访朝。", [("朝", "PRK")]),
        ("中朝是友好邻邦。", [("中", "CHN"), ("朝", "PRK")]),
        ("美韩将举行联合军演。", [("美", "USA"), ("韩", "KOR")]),
        ("朝媒对俄代表团访朝毫不隐瞒。", [("朝", "PRK"), ("俄", "RUS"), ("朝", "PRK")]),
        ("日美韩三国将加强合作。", [("日", "JPN"), ("美", "USA"), ("韩", "KOR")]),
    ],
)
def test_country_abbreviations_count_inside_compounds(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "党中央委员会会议在中央大楼举行。",
        "其中包括能源合作。",
        "中期选举即将举行。",
        "在会谈中,双方交换了意见。",
        "会谈于7月19日中午结束。",
        "双方朝着既定目标迈进。",
        "同日下午举行了宴会。",
        "西方国家对此表示关切。",  # 西 is Spain's abbreviation, 西方 is the West
        "双方表示,将以友好年开幕式为契机。",  # 以 (Israel) as a preposition
    ],
)
def test_abbreviation_characters_inside_ordinary_words_are_not_countries(text):
    assert found(text) == []


def test_a_short_name_inside_another_word_is_not_a_mention():
    assert found("志愿者小李强调,垃圾分类需要每个人参与。") == []
    assert found("总理李强强调开放。") == [("李强", "person:li_qiang")]
    # 中国 is not in 其中国家, but is in 中国人民.
    assert found("其中国家安全最重要。") == []
    assert found("中国人民的伟大胜利。") == [("中国", "CHN")]


def test_a_country_before_a_papers_bracketed_title_is_the_papers_home():
    # 日本《产经新闻》 names where the paper is published, not Japan in the news
    assert "JPN" not in {e for _, e in found("日本《产经新闻》称，两国关系升温。")}
    assert "JPN" in {e for _, e in found("日本《国家安全法》生效，两国关系升温。")}


def test_outlet_names_are_not_country_mentions():
    assert found("据朝中社9日报道,朝鲜代表团启程。") == [("朝鲜", "PRK")]
    # 朝鲜 inside the paper's name is no North Korea, and 韩国 before it is the paper's home
    assert found("据韩国《朝鲜日报》报道。") == []
    assert found("韩联社首尔7月9日电") == [("首尔", "place:seoul")]


def test_separators_and_spaces_inside_names_and_offsets_point_at_the_surface():
    text = (
        "俄罗斯国防部副部长阿列克谢 • 克里沃鲁奇科率团访问。\n俄罗斯总统 弗拉基米尔·普京 签署命令。"
    )
    mentions, _ = extract(text)
    by_id = dict(zip(mentions["entity_id"], mentions["surface"], strict=False))
    assert by_id["person:alexei_krivoruchko"] == "阿列克谢 • 克里沃鲁奇科"
    assert by_id["person:vladimir_putin"] == "弗拉基米尔·普京"
    for row in mentions.itertuples():
        assert text[row.start : row.end] == row.surface
        assert row.surface in row.sentence
        assert "\n" not in row.sentence


def test_traditional_text_keeps_surfaces_as_written():
    text = "北韓領導人金正恩會見俄羅斯代表團,美國與南韓密切協調。"
    assert found(text) == [
        ("北韓", "PRK"),
        ("金正恩", "person:kim_jong_un"),
        ("俄羅斯", "RUS"),
        ("美國", "USA"),
        ("南韓", "KOR"),
    ]


def test_the_sentence_is_the_one_containing_the_mention():
    mentions, _ = extract("朝鲜代表团启程。金正恩会见了代表团!普京表示欢迎")
    sentences = dict(zip(mentions["surface"], mentions["sentence"], strict=True))
    assert sentences == {
        "朝鲜": "朝鲜代表团启程。",
        "金正恩": "金正恩会见了代表团!",
        "普京": "普京表示欢迎",
    }


def test_unknown_names_are_found_and_marked_unverified():
    mentions, table = extract(
        "朝鲜金日成军事综合大学校长金琴铁(音)率领代表团启程。据悉金琴铁此前曾访俄。"
    )
    names = mentions[mentions["entity_id"] == "unverified:金琴铁"]
    assert list(names["surface"]) == ["金琴铁", "金琴铁"]
    assert set(names["type"]) == {"person"}
    row = table.set_index("entity_id").loc["unverified:金琴铁"]
    assert not row["verified"]
    assert table.set_index("entity_id").loc["PRK", "verified"]
    # 金日成 here names the university, not the man.
    assert "unverified:金日成军事综合大学" in set(mentions["entity_id"])


@pytest.mark.parametrize(
    "text, name",
    [
        # a name the tokenizer's dictionary lacks, taken whole as one token, after a title
        ("越南政府副总理潘廷镯会见代表团。", "潘廷镯"),
        # a two-character surname: a name of four characters
        ("中国驻马来西亚大使欧阳玉靖出席活动。", "欧阳玉靖"),
        # transliterations with syllables of the standard tables: -申科 (-shenko), -佛 (-pho)
        ("同接机的俄罗斯副总理切尔内申科等官员握手。", "切尔内申科"),
        ("总统的新闻秘书尼基佛洛夫表示。", "尼基佛洛夫"),
        # a Malaysian honorific: a name follows, in whatever characters (翁 is no syllable)
        ("柔佛州务大臣拿督翁哈菲兹也有随行。", "翁哈菲兹"),
        ("驻华大使拉惹拿督努希尔万、领事苏拉亚将出席论坛。", "努希尔万"),
        ("驻华大使拉惹拿督努希尔万、领事苏拉亚将出席论坛。", "苏拉亚"),
        ("大马驻南宁总领事阿末法迪及中国大使出席。", "阿末法迪"),
        # what may follow a name: 认为, a weekday, a rank; 华 and 朱 in transliterations
        ("研究所所长朱拉夫列夫认为，访问意义重大。", "朱拉夫列夫"),
        ("莫桑比克总统纽西表示欢迎。", "纽西"),
        ("联邦众议员爱德华多周一在社群媒体表示。", "爱德华多"),
        # the tokenizer reads it whole: a name of its own, though part of a longer known one
        ("总统发言人哈桑星期四表示。", "哈桑"),
        # the syllables 法 and 伊 of a name are no countries
        ("与三军情报局局长法伊兹·哈米德中将会面。", "法伊兹哈米德"),
        # names listed after the first one a title announced; Taiwan's titles; 亦 after a name
        ("访问团成员包括国民党立委吴斯怀、叶毓兰、洪孟楷、李德维，下月返台。", "叶毓兰"),
        ("访问团成员包括国民党立委吴斯怀、叶毓兰、洪孟楷、李德维，下月返台。", "李德维"),
        ("美国众议员杰克森(右一)、卡纳(右二)、奥金克洛斯(右三)周日访问台湾。", "奥金克洛斯"),
        ("国民党前主席兼立委江启臣亦接力访美。", "江启臣"),
        # a family name that is also an everyday character, after a title
        ("随行的还有立委管碧玲、罗致政。", "管碧玲"),
        # a province's department head, Taipei's envoy; 没有, 决定 and 事件 after a name
        ("BC林业厅长帕默就表示，希望合作。", "帕默"),
        ("第一夫人米歇尔没有出席晚宴。", "米歇尔"),
        ("众议院议长博纳决定不邀请他。", "博纳"),
        ("自华为副董事长孟晚舟事件以来，两国关系紧张。", "孟晚舟"),
    ],
)
def test_officials_after_a_title_are_found(text, name):
    assert ("unverified:" + name) in [entity_id for _, entity_id in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "外交部长表示欢迎。",
        "总统高度评价两国关系。",
        # what is listed after a title is no name of its own
        "国王和王后、首相等出席。",
        "两国同意加强边境管理和施工安全。",
    ],
)
def test_an_ordinary_word_after_a_title_is_no_name(text):
    assert not [e for _, e in found(text) if e.startswith("unverified:")]


def test_a_summits_nickname_is_no_person():
    # two leaders' first characters and 会: the meeting, not a third person
    text = "国家主席胡锦涛与美国总统奥巴马今天举行第三次“胡奥会”。双方为“金特会”筹备。"
    names = {e for _, e in found(text) if e.startswith("unverified:")}
    assert "unverified:胡奥会" not in names and "unverified:胡锦涛" in names


def test_a_list_after_a_titled_name_stops_at_what_is_no_name():
    text = "外长王毅和国务卿布林肯、中方官员与美方代表出席。"
    names = {e for _, e in found(text) if e.startswith("unverified:")}
    assert names == {"unverified:王毅", "unverified:布林肯"}


@pytest.mark.parametrize(
    "text, place",
    [
        # a city in a part of a country, and a villa where leaders met, are no persons
        ("泽连斯基在波兰东南部的热舒夫(Rzeszow)与美军官兵会面。", "热舒夫"),
        ("拜登和普京在瑞士日内瓦的拉格朗热别墅举行会晤。", "拉格朗热"),
    ],
)
def test_a_place_named_like_a_transliteration_is_no_person(text, place):
    mentions, _ = extract(text)
    persons = mentions.loc[mentions["type"] == "person", "surface"].tolist()
    assert not [p for p in persons if place in p]


def test_the_city_of_a_summit_is_a_place_not_a_person():
    text = "国家主席抵达印度金奈，从新德里飞抵金奈后，总理在金奈国际机场迎接。"
    mentions, _ = entities.extract(frame(text), entities.load_matcher(str(GAZETTEER_CSV)))
    chennai = mentions[mentions["surface"] == "金奈"]
    assert len(chennai) == 3 and set(chennai["entity_id"]) == {"place:chennai"}


def test_a_known_name_after_a_preposition_the_tagger_glued_to_it_is_found():
    # the tagger reads 同莫迪 as one name (同 is also a family name)
    mentions, _ = entities.extract(
        frame("习近平同莫迪初次会面。"), entities.load_matcher(str(GAZETTEER_CSV))
    )
    assert "person:narendra_modi" in set(mentions["entity_id"])


def test_weak_abbreviations_count_only_after_a_stronger_partner():
    assert found("双方表示,将以中朝友好年开幕式为契机。") == [("中", "CHN"), ("朝", "PRK")]


def test_reporters_in_bylines_are_not_mentions_and_buildings_are_places():
    mentions, _ = extract(
        "新华社北京4月11日电(记者王小明)会议在平壤万寿台议事堂举行。(责编:刘军涛)"
    )
    assert "王小明" not in set(mentions["surface"])
    assert "刘军涛" not in set(mentions["surface"])
    assert ("万寿台议事堂", "place") in set(zip(mentions["surface"], mentions["type"], strict=True))


def test_names_that_sound_alike_and_short_forms_are_one_entity():
    mentions, table = extract(
        "俄罗斯国防部长安德烈·别洛乌索夫当天表示,别洛乌索夫将访问朝鲜。",
        "俄罗斯国防部长别罗乌索夫抵达平壤。",  # 洛 / 罗: same toneless pinyin
    )
    people = mentions[mentions["type"] == "person"]
    assert len(people) == 3
    assert people["entity_id"].nunique() == 1
    assert table.set_index("entity_id").loc[people["entity_id"].iloc[0], "aliases"] is not None


def test_a_variant_spelling_of_a_gazetteer_name_joins_the_gazetteer_entity():
    # 克里沃鲁齐科 is not in the small gazetteer; it sounds like 克里沃鲁奇科, which is.
    assert found("俄副防长阿列克谢•克里沃鲁齐科率领代表团。") == [
        ("俄", "RUS"),
        ("阿列克谢•克里沃鲁齐科", "person:alexei_krivoruchko"),
    ]


def test_a_country_with_a_ministry_is_an_organization_of_that_country():
    mentions, _ = extract("俄罗斯国防部副部长率团访朝。俄罗斯联邦国防部发表声明。")
    orgs = mentions[mentions["type"] == "org"]
    assert list(orgs["surface"]) == ["俄罗斯国防部", "俄罗斯联邦国防部"]
    assert orgs["entity_id"].nunique() == 1
    # 国防部长 is a title: the country stays a country.
    assert found("俄罗斯国防部长表示。") == [("俄罗斯", "RUS")]


def test_suggest_rows_lists_frequent_unverified_names_in_gazetteer_format():
    mentions, table = extract(
        "校长金琴铁(音)率团启程。金琴铁表示感谢。",
        "国防部长安德烈·别洛乌索夫当天表示欢迎。",
        "据悉金琴铁已抵达。",
    )
    rows = entities.suggest_rows({"mentions": mentions, "entities": table})
    assert list(rows.columns[:9]) == gazetteer.GAZETTEER_COLUMNS
    assert list(rows["name_zh"][:2]) == ["金琴铁", "别洛乌索夫"] or list(rows["name_zh"][:2]) == [
        "金琴铁",
        "安德烈别洛乌索夫",
    ]
    first = rows.iloc[0]
    assert first["type"] == "person" and first["mentions"] == 3
    assert first["entity_id"] == "person:jin_qin_tie"
    assert (
        "安德烈·别洛乌索夫" in rows.iloc[1]["aliases"]
        or rows.iloc[1]["name_zh"] == "安德烈别洛乌索夫"
    )


def test_missing_gazetteer_is_reported_and_the_fallback_still_runs(tmp_path):
    report = IngestReport()
    ctx = PipelineContext({"articles": frame("外务相崔善姬会见代表团。")}, report)
    ctx.options["gazetteer"] = tmp_path / "none.csv"
    entities.run(ctx)
    assert any("gazetteer" in n for n in report.notices)
    assert list(ctx.tables["mentions"]["entity_id"]) == ["unverified:崔善姬"]
    assert report.counts["unverified entities"] == 1


def test_empty_corpus_gives_contract_tables():
    mentions, table = extract()
    assert mentions.empty and table.empty
    assert list(mentions.columns) == [
        "article_id",
        "entity_id",
        "surface",
        "type",
        "start",
        "end",
        "sentence",
    ]
    assert {"entity_id", "aliases", "lat", "lon", "verified"} <= set(table.columns)


needs_gazetteer = pytest.mark.skipif(
    not GAZETTEER_CSV.exists(), reason="data/gazetteer.csv not written yet"
)


@needs_gazetteer
def test_seed_top_person_is_kim_jong_un(seed_tables):
    mentions = seed_tables["mentions"]
    people = mentions[mentions["type"] == "person"]["entity_id"].value_counts()
    assert people.index[0] == "person:kim_jong_un"


@needs_gazetteer
def test_seed_krivoruchko_spellings_are_one_entity(seed_tables):
    mentions = seed_tables["mentions"]
    krivoruchko = mentions[mentions["surface"].str.contains("克里沃鲁")]
    assert set(krivoruchko["surface"]) >= {"克里沃鲁奇科", "克里沃鲁齐科"}
    assert krivoruchko["entity_id"].nunique() == 1


@needs_gazetteer
def test_seed_kcna_is_not_a_mention_of_the_dprk(seed_tables):
    articles = seed_tables["articles"].set_index("article_id")
    mentions = seed_tables["mentions"]
    checked = 0
    for article_id, text in articles["text"].items():
        start = text.find("朝中社")
        while start >= 0:
            inside = mentions[
                (mentions["article_id"] == article_id)
                & (mentions["start"] < start + 3)
                & (mentions["end"] > start)
            ]
            assert inside.empty, inside
            checked += 1
            start = text.find("朝中社", start + 3)
    assert checked >= 3


@needs_gazetteer
def test_seed_offsets_point_at_the_surface_and_entities_cover_mentions(seed_tables):
    articles = seed_tables["articles"].set_index("article_id")["text"]
    mentions = seed_tables["mentions"]
    assert len(mentions) > 100
    for row in mentions.itertuples():
        assert articles[row.article_id][row.start : row.end] == row.surface
    assert set(mentions["entity_id"]) == set(seed_tables["entities"]["entity_id"])


# The fallback for names missing from the gazetteer, by class of error seen on real pages.


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary words jieba's dictionary tags as names (高水平/nr, 安保/nr, 许可/nr, 熊猫/nr).
        "两国关系保持高水平发展,双方还讨论了安保合作,如情况许可将扩大规模。",
        "这家银行将首次发行熊猫债,高僧在寺中诵经,投资额高达三百亿元。",
        # 韩 starting a word is Korea's abbreviation more often than the surname.
        "晚宴上客人品尝了韩式烤肉,当地韩侨和韩裔居民也到场。",
        # A brand or a team the dictionary knows is not a person.
        "随后他们观看了菲尼克斯太阳队的比赛,还参观了奥斯卡颁奖典礼的会场。",
        # Two name-like words glued together: a channel or an agency, not a person.
        "来源:玉渊谭天",
    ],
)
def test_words_places_and_brands_are_not_new_persons(text):
    mentions, _ = extract(text)
    assert list(mentions.loc[mentions["type"] == "person", "surface"]) == []


def test_a_piece_cut_out_of_a_known_name_is_not_a_name():
    # 沃鲁奇科 is a cut of 克里沃鲁奇科 (in the gazetteer), not another person.
    assert found("此前沃鲁奇科曾访朝。") == [("朝", "PRK")]


def test_places_and_buildings_found_by_the_fallback_are_places():
    for text, place in [
        ("代表团抵达西雅图。西雅图是此行的第一站。", "西雅图"),
        ("两国领导人在安纳伯格庄园散步。", "安纳伯格庄园"),
        ("专机抵达南宁吴圩国际机场。", "吴圩国际机场"),
    ]:
        mentions, _ = extract(text)
        assert set(zip(mentions["surface"], mentions["type"], strict=True)) == {(place, "place")}


@pytest.mark.parametrize(
    "text, name",
    [
        ("越南总理阮春福会见了代表团。", "阮春福"),
        ("外交部发言人汪文斌14日主持例行记者会。", "汪文斌"),
        ("国务委员兼外长王小明在会上表示。", "王小明"),
        ("随行的还有文化部长兼理事会主席拿督斯里张庆信。", "张庆信"),
        ("美国第一夫人吉儿(Jill Biden)陪同出席。", "吉儿"),
        ("西雅图市市长默里偕当地政要到机场迎接。", "默里"),
        ("随行的还有贸易部长Don Farrell。", "Don Farrell"),
    ],
)
def test_a_title_announces_a_lesser_known_official(text, name):
    mentions, _ = extract(text)
    people = mentions[mentions["type"] == "person"]
    assert list(people["surface"]) == [name]
    assert list(people["entity_id"]) == ["unverified:" + name]


def test_a_latin_name_after_a_title_joins_the_gazetteer_person_of_that_english_name():
    matcher = entities.load_matcher()  # the full gazetteer
    mentions, _ = entities.extract(frame("澳洲贸易部长Don Farrell表示欢迎。"), matcher)
    assert ("Don Farrell", "person:don_farrell") in set(
        zip(mentions["surface"], mentions["entity_id"], strict=True)
    )


def test_a_title_before_a_short_name_stands_for_the_word_edges_the_tokenizer_missed():
    # 李强调 is 李强 + 调研 after a title (the tokenizer reads 强调), not in 小李强调.
    assert found("国务院总理李强调研时表示。") == [("李强", "person:li_qiang")]
    assert found("志愿者小李强调,垃圾分类需要每个人参与。") == []


def test_a_pinyin_gloss_inside_a_name_does_not_hide_it():
    assert found("朝鲜领导人金(jīn)正恩会见代表团。") == [
        ("朝鲜", "PRK"),
        ("金(jīn)正恩", "person:kim_jong_un"),
    ]


def test_hua_is_china_in_compounds_only():
    assert found("代表团下月访华。欢迎更多学生来华留学。") == [("华", "CHN"), ("华", "CHN")]
    assert found("华人社区欢迎华为进入当地市场,华裔议员出席。") == []


def test_a_time_zone_is_no_mention_of_its_place():
    assert found("首相于6日当地时间下午1时半(台湾时间中午12时半)抵达，北京时间晚上出发。") == []
    # 时间 without a time after it is no time zone
    assert found("总统在中国时间不长。") == [("中国", "CHN")]


def test_a_family_name_and_a_title_stand_for_the_articles_one_person_of_that_name():
    text = "尹锡悦出席会议。尹总统表示欢迎。"
    assert found(text) == [("尹锡悦", "person:yoon_suk_yeol"), ("尹总统", "person:yoon_suk_yeol")]
    # a country's short name before a title is the country's: 韩总统 is Korea's president
    assert [
        e for _, e in found("韩国外长出席。韩德洙总理表示，韩总统将出访。") if "韩总统" in e
    ] == []


# Countries: what looks like a country mention and is not.


def found_full(text: str) -> list[tuple[str, str]]:
    """Mentions with the full gazetteer (places, all abbreviations)."""
    mentions, _ = entities.extract(frame(text), entities.load_matcher())
    return list(zip(mentions["surface"], mentions["entity_id"], strict=True))


def test_a_country_name_starting_an_outlet_name_is_the_outlet():
    assert found("据中国之声报道,会谈取得成果。来源:中国政府网") == []
    # 网 that starts another word (网民, 网络) leaves the country alone.
    assert found("中国网民热议此事。") == [("中国", "CHN")]


def test_a_country_name_starting_an_airlines_name_is_the_airline():
    assert found("金正恩搭乘中国国际航空的包机抵达平壤。") == [
        ("金正恩", "person:kim_jong_un"),
        ("平壤", "place:pyongyang"),
    ]
    assert ("中国", "CHN") in found("中国航空业发展迅速。")  # an industry, not an airline


def test_a_correspondents_posting_in_a_byline_is_not_a_mention():
    text = "【本报驻俄罗斯、日本特派特约记者 王小明】乌克兰代表团当天抵达。"
    assert found(text) == [("乌克兰", "UKR")]


def test_a_region_named_after_a_country_is_not_that_country():
    assert ("印度", "IND") not in found_full("会议讨论了印度太平洋地区的局势。")
    assert ("印", "IND") not in found_full("美日两国在印太地区加强合作。")


def test_xi_as_a_direction_after_an_abbreviation_is_not_spain():
    assert ("西", "ESP") not in found_full("大批士兵被派往俄西的前线。")
    assert ("西", "ESP") in found_full("中西关系稳定发展。")


def test_a_sultan_named_with_his_title_is_not_sudan():
    got = found_full("两国元首在国家元首苏丹依布拉欣陛下的见证下签署协议。")
    assert ("苏丹依布拉欣", "person:sultan_ibrahim") in got
    assert not any(entity == "SDN" for _, entity in got)


def test_pacific_states_and_regional_spellings_are_countries():
    found_ids = [
        e for _, e in found_full("王毅对巴布亚新畿内亚正式访问，并与库克群岛和纽埃总理会晤。")
    ]
    assert {"PNG", "COK", "NIU"} <= set(found_ids)


def test_an_ambassador_posted_abroad_keeps_his_own_country():
    found_ids = [e for _, e in found_full("中国驻美国大使谢锋18日会见美国国务卿布林肯。")]
    assert "person:xie_feng" in found_ids
