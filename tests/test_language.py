"""The tokenizer (rjieba, jieba-compatible) and the stopword rules."""

from __future__ import annotations

import pytest

from dashboard.ingest.language import (
    Tokenizer,
    gazetteer_words,
    jieba_reference,
    load_stopwords,
    parse_stopword_lines,
    tokenizer,
)

# Names from the seed that jieba's dictionary does not know; with the gazetteer (when present)
# they exercise the user-word path of both tokenizers.
SEED_NAMES = ["克里沃鲁奇科", "金琴铁", "金日成军事综合大学", "朝中社", "劳动党"]

# News-style sentences beyond the seed: other outlets, Traditional converted to Simplified,
# Latin, dates and numbers, so the comparison covers non-Chinese runs too.
EXTRA_TEXTS = [
    "塔斯社莫斯科7月22日电 俄罗斯总统普京22日在克里姆林宫会见了到访的朝鲜外务相崔善姬。",
    "韩联社首尔2024年7月23日电 韩国国防部表示,朝鲜当天上午向东部海域发射了2枚短程弹道导弹(SRBM)。",
    "路透社报道称,美国国务卿布林肯在东京举行的美日2+2会谈上呼吁加强三边安全合作。",
    "新华社北京7月24日电 外交部发言人毛宁在例行记者会上回答了有关朝俄关系的提问。",
]


def test_rjieba_tokens_match_jieba_on_the_corpus(seed_tables):
    tok = Tokenizer(gazetteer_words() + SEED_NAMES)
    reference = jieba_reference(tok.user_word_freqs)
    texts = list(seed_tables["articles"]["text_simplified"]) + EXTRA_TEXTS
    assert len(texts) >= 5
    for text in texts:
        assert tok.cut(text) == reference.lcut(text, HMM=False)


def test_user_words_keep_names_whole():
    text = "俄罗斯国防部副部长阿列克谢•克里沃鲁奇科率领军事代表团访问平壤"
    assert "克里沃鲁奇科" not in Tokenizer().cut(text)
    assert "克里沃鲁奇科" in Tokenizer(["克里沃鲁奇科"]).cut(text)


def test_gazetteer_words_reads_names_and_aliases(tmp_path):
    csv = tmp_path / "gazetteer.csv"
    csv.write_text(
        "entity_id,type,name_zh,name_en,aliases\n"
        "Q1,person,普京,Vladimir Putin,普丁|弗拉基米尔·普京|Putin\n"
        "Q2,country,朝鲜,North Korea,北韓|朝鲜民主主义人民共和国\n",
        encoding="utf-8",
    )
    words = gazetteer_words(csv)
    for name in ["普京", "普丁", "朝鲜", "北韓", "北韩", "朝鲜民主主义人民共和国", "Putin"]:
        assert name in words
    assert gazetteer_words(tmp_path / "absent.csv") == []


def test_stopword_file_lines():
    words, patterns = parse_stopword_lines(["# comment", "", "报道", "  記者 ", r"re:^\d+$"])
    assert words == {"报道", "记者"}
    assert [p.pattern for p in patterns] == [r"^\d+$"]


@pytest.mark.parametrize(
    "token",
    [
        "报道",
        "表示",
        "进行",
        "同志",
        "记者",
        "的",
        "我们",
        "2024",
        "2024年",
        "7月",
        "18日",
        "十八日",
        "星期四",
        "PIC0082734.png",
        "，",
        "(",
        "SRBM",
        "电",
        "今年",
    ],
)
def test_boilerplate_is_dropped(token):
    assert not Tokenizer(stopwords=load_stopwords()).keep(token)


@pytest.mark.parametrize("token", ["安全", "问题", "人民", "军事", "合作", "代表团", "条约"])
def test_content_words_stay(token):
    assert Tokenizer(stopwords=load_stopwords()).keep(token)


def test_gazetteer_names_are_never_stopwords():
    tok = Tokenizer(["俄", "朝中社"], stopwords=load_stopwords())
    assert tok.keep("俄")  # a one-character name survives the one-character rule
    assert not Tokenizer(stopwords=load_stopwords()).keep("俄")


def test_terms_of_a_news_sentence():
    tok = Tokenizer(["克里沃鲁奇科"], stopwords=load_stopwords())
    terms = tok.terms(
        "朝中社平壤7月19日电 金正恩同志7月18日会见了由俄罗斯联邦国防部副部长克里沃鲁奇科率领的军事代表团。"
    )
    assert "克里沃鲁奇科" in terms and "代表团" in terms and "金正恩" in terms
    assert not {"7", "月", "19", "日电", "同志", "了", "的", "。"} & set(terms)


def test_process_tokenizer_is_built_once():
    assert tokenizer() is tokenizer()
