"""A deterministic synthetic corpus for benchmarks and scale tests (never the bundled corpus).

``generate(out_dir, n_articles, seed)`` writes raw documents in every supported shape: forum
posts bundling one to three reports (.txt, some GB18030, some Traditional in Big5), JSON Lines
and CSV record files, and HTML pages. Reports use real outlets, datelines in several styles,
dates spread over years, officials and places of the region, visits and meetings, and filler
sentences in the register of the seed. The same seed always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

OUTLETS = [
    ("朝中社", "KCNA", "平壤"),
    ("韩联社", "Yonhap", "首尔"),
    ("新华社", "Xinhua", "北京"),
    ("塔斯社", "TASS", "莫斯科"),
    ("中新社", "China News Service", "北京"),
    ("共同社", "Kyodo", "东京"),
    ("法新社", "AFP", "首尔"),
    ("俄新社", "RIA Novosti", "莫斯科"),
    ("中央社", "CNA", "台北"),
    ("美联社", "AP", "华盛顿"),
]

# (country name, capital, leaders/officials)
COUNTRIES = {
    "朝鲜": ("平壤", ["金正恩", "崔善姬", "努光铁", "朴正天", "李炳哲", "崔龙海"]),
    "俄罗斯": ("莫斯科", ["普京", "拉夫罗夫", "绍伊古", "别洛乌索夫", "克里沃鲁奇科", "佩斯科夫"]),
    "中国": ("北京", ["习近平", "王毅", "李强", "赵乐际", "董军"]),
    "韩国": ("首尔", ["尹锡悦", "赵兑烈", "申源湜", "韩德洙"]),
    "美国": ("华盛顿", ["拜登", "布林肯", "奥斯汀", "沙利文"]),
    "日本": ("东京", ["岸田文雄", "上川阳子", "石破茂"]),
    "乌克兰": ("基辅", ["泽连斯基", "库列巴", "乌梅罗夫"]),
}
ROLES = ["外交部长", "国防部长", "国防部副部长", "安全会议秘书", "总理", "议长", "总参谋长"]
DELEGATIONS = [
    "军事代表团",
    "政府代表团",
    "议会代表团",
    "经济代表团",
    "军事教育干部代表团",
    "友好代表团",
]
# Filler sentences are built from templates with slots so that unrelated articles share
# little text (near-duplicate detection must not see the whole corpus as one story).
FILLER_TEMPLATES = [
    "{c1}{org}发言人{d}日表示，{c1}愿同{c2}在{field}领域加强{verb}。",
    "{p1}说，{c1}和{c2}的{field}合作符合两国人民的根本利益，将为地区{goal}作出贡献。",
    "分析人士认为，{c1}与{c2}在{field}方面的{verb}近来明显{trend}。",
    "{c2}{org}官员透露，双方此前已就{field}问题举行了{n}轮磋商。",
    "据{c2}媒体报道，{p2}还参观了{c1}的{site}，并与当地{people}进行了交流。",
    "{c1}方面强调，{field}合作不针对任何第三方，{c2}对此表示{attitude}。",
    "双方在会谈中回顾了{year}年以来两国关系的发展，并就{field}议题交换了意见。",
    "{c2}国内舆论对此次{event}反应{attitude}，多家媒体发表评论文章。",
    "{p1}强调，{c1}将坚定不移地推进与{c2}的{field}{verb}，维护{goal}。",
    "此前，{c2}{org}曾于{m}月发表声明，对{c1}的{event}表示{attitude}。",
    "有观察人士指出，这是{c1}和{c2}{year}年以来第{n}次举行此类{event}。",
    "{c1}{org}还宣布，将在{m}月派遣{people}代表团前往{c2}进行考察。",
]
SLOTS = {
    "org": ["外交部", "国防部", "总统府", "国务院", "议会", "统一部", "国家安全委员会", "驻外使馆"],
    "field": [
        "军事",
        "经贸",
        "能源",
        "科技",
        "航天",
        "教育",
        "卫生",
        "农业",
        "文化",
        "旅游",
        "港口物流",
        "信息技术",
    ],
    "verb": ["交流", "合作", "协调", "对话", "互动", "沟通"],
    "goal": ["和平与稳定", "安全与繁荣", "共同发展", "战略平衡", "国际正义"],
    "trend": ["升温", "加速", "增多", "深化", "扩大"],
    "site": ["工厂", "军事院校", "科研机构", "港口", "农场", "博物馆", "造船厂", "航天中心"],
    "people": ["学生", "工人", "官兵", "专家", "企业家", "青年", "学者"],
    "attitude": ["关切", "欢迎", "不满", "谨慎", "积极", "强烈反对", "密切关注"],
    "event": ["访问", "会谈", "军演", "导弹试射", "高层互访", "联合声明", "条约签署"],
}
# Sentences assembled from fragments: thousands of combinations, so that two unrelated
# reports share about as little wording as two real ones on the same topic do.
GRAMMAR = {
    "when": [
        "当天",
        "此前",
        "近日",
        "去年以来",
        "本周早些时候",
        "会谈期间",
        "访问期间",
        "同日晚些时候",
        "据悉",
        "与此同时",
        "会后",
        "不久前",
        "今年上半年",
        "过去一年",
        "此次访问前",
    ],
    "who": [
        "双方代表",
        "两国外交部门",
        "有关专家",
        "军方高层",
        "智库学者",
        "议会议员",
        "地方官员",
        "企业代表",
        "驻外使节",
        "国防部门官员",
        "经济部门负责人",
        "民间团体",
        "青年代表团成员",
        "媒体评论员",
        "边境地区负责人",
    ],
    "act": ["就", "围绕", "针对", "聚焦", "着眼于", "结合", "回顾了", "讨论了", "评估了", "交流了"],
    "topic": [
        "港口基础设施建设",
        "粮食和化肥供应",
        "导弹技术转让传闻",
        "劳务人员往来",
        "铁路和公路联通",
        "电力和能源项目",
        "渔业资源管理",
        "边境口岸开放",
        "人文和体育交流",
        "医疗卫生援助",
        "航天发射合作",
        "联合海上巡航",
        "网络安全威胁",
        "制裁执行情况",
        "朝鲜半岛无核化议题",
        "乌克兰局势走向",
        "远东开发规划",
        "留学生互派计划",
        "旅游线路开通",
        "货币结算安排",
    ],
    "result": [
        "深入交换了意见",
        "达成多项共识",
        "签署了备忘录",
        "同意成立工作组",
        "表示将保持沟通",
        "提出了具体建议",
        "未透露更多细节",
        "强调了各自立场",
        "决定扩大合作规模",
        "同意年内再次会晤",
        "发表了联合新闻稿",
        "承诺加快项目进度",
        "对成果表示满意",
        "未能弥合分歧",
        "确定了下阶段日程",
    ],
    "tail": [
        "。",
        "，外界对此高度关注。",
        "，相关报道引发热议。",
        "，但未公布时间表。",
        "，有关细节仍在商谈中。",
        "，分析认为此举意义重大。",
        "，这一动向值得关注。",
        "，双方均未作进一步说明。",
    ],
}


def _grammar_sentence(rng: random.Random) -> str:
    g = {k: rng.choice(v) for k, v in GRAMMAR.items()}
    return f"{g['when']}，{g['who']}{g['act']}{g['topic']}{g['result']}{g['tail']}".replace(
        "。。", "。"
    )


FORUM_HEADER = [
    "马上注册,结交更多好友,享用更多功能,让你轻松玩转社区。",
    "您需要 登录 才可以下载或查看,没有账号?立即注册",
]
FORUM_FOOTER = ["您需要登录后才可以回帖 登录 | 立即注册", "本版积分规则"]


@dataclass
class Report:
    outlet_zh: str
    dateline_place: str
    published: date
    title: str
    body: list[str]


def _report(rng: random.Random, start: date, span_days: int) -> Report:
    outlet_zh, _, home = rng.choice(OUTLETS)
    published = start + timedelta(days=rng.randrange(span_days))
    guest, host = rng.sample(sorted(COUNTRIES), 2)
    guest_capital, guest_people = COUNTRIES[guest]
    host_capital, host_people = COUNTRIES[host]
    lead = rng.choice(guest_people)
    host_lead = rng.choice(host_people)
    role = rng.choice(ROLES)
    delegation = rng.choice(DELEGATIONS)
    visit_day = published - timedelta(days=rng.choice([0, 1, 1, 2]))
    kind = rng.random()
    if kind < 0.4:
        title = f"{host_lead}会见{guest}{delegation}"
        lead_sentence = (
            f"{host_lead}{visit_day.month}月{visit_day.day}日在{host_capital}会见了由{guest}"
            f"{role}{lead}率领的{delegation}。"
        )
    elif kind < 0.75:
        title = f"{guest}{role}{lead}抵达{host_capital}"
        lead_sentence = (
            f"{guest}{role}{lead}{visit_day.day}日率{delegation}抵达{host_capital}，"
            f"开始对{host}进行访问。"
        )
    else:
        title = f"{guest}{delegation}启程访问{host}"
        lead_sentence = f"{lead}率领的{guest}{delegation}前一天从{guest_capital}启程赴{host}。"
    people = guest_people + host_people
    body = [lead_sentence]
    for _ in range(rng.randint(3, 8)):
        body.append(_grammar_sentence(rng))
    for template in rng.sample(FILLER_TEMPLATES, rng.randint(2, 4)):
        values = {k: rng.choice(v) for k, v in SLOTS.items()}
        c1, c2 = rng.sample([guest, host], 2)
        values.update(
            c1=c1,
            c2=c2,
            p1=rng.choice(people),
            p2=rng.choice(people),
            d=rng.randint(1, 28),
            m=rng.randint(1, 12),
            n=rng.randint(2, 9),
            year=rng.randint(2000, 2023),
        )
        body.insert(rng.randint(1, len(body)), template.format(**values))
    return Report(outlet_zh, home, published, title, body)


def _dateline(rng: random.Random, r: Report) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{r.outlet_zh}{r.dateline_place}{r.published.month}月{r.published.day}日电 "
    if style < 0.8:
        return f"{r.outlet_zh} {r.dateline_place} {r.published.month}月{r.published.day}日电  "
    return f"（{r.outlet_zh}记者{r.dateline_place}{r.published.day}日电）"


def _spaced(rng: random.Random, text: str) -> str:
    """Forum copies often put spaces around words (as the seed does)."""
    if rng.random() < 0.7:
        return text
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if i % rng.randint(2, 6) == 0:
            out.append(" ")
    return "".join(out)


def _page(rng: random.Random, reports: list[Report]) -> str:
    post_date = max(r.published for r in reports) + timedelta(days=rng.randint(0, 2))
    lines = [
        reports[0].title,
        "",
        f"新闻关注 {rng.randint(10, 999)} 人阅读 | {rng.randint(0, 9)} 人回复 | {post_date.isoformat()}",
        "",
    ]
    lines += FORUM_HEADER + [""]
    for r in reports:
        lines.append(r.title)
        lines.append("")
        lines.append(_spaced(rng, _dateline(rng, r) + r.body[0]))
        for sentence in r.body[1:]:
            lines.append("")
            lines.append("        " + _spaced(rng, sentence))
        if rng.random() < 0.3:
            lines += ["", f"PIC{rng.randint(1000000, 9999999)}.png"]
        lines.append("")
    lines += FORUM_FOOTER
    return "\n".join(lines) + "\n"


def _record(r: Report, n: int) -> dict:
    outlet = next(o for o in OUTLETS if o[0] == r.outlet_zh)[1]
    return {
        "title": r.title,
        "text": f"{r.outlet_zh}{r.dateline_place}{r.published.month}月{r.published.day}日电 "
        + "".join(r.body),
        "source": outlet,
        "published_at": r.published.isoformat(),
        "url": f"https://news.example/{n}",
    }


def _html(r: Report) -> str:
    import html

    paras = "".join(f"<p>{html.escape(s)}</p>" for s in r.body[1:])
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(r.title)}</title>"
        f"<meta property='article:published_time' content='{r.published.isoformat()}'></head>"
        "<body><nav>首页 | 国际 | 军事</nav><article>"
        f"<h1>{html.escape(r.title)}</h1><p>{html.escape(r.outlet_zh + r.dateline_place)}"
        f"{r.published.month}月{r.published.day}日电 {html.escape(r.body[0])}</p>{paras}"
        "</article><footer>版权所有</footer></body></html>"
    )


def generate(out_dir: Path, n_articles: int, seed: int = 7, years: int = 3) -> dict:
    """Write about ``n_articles`` reports under ``out_dir``; returns counts per format."""
    import opencc

    rng = random.Random(seed)
    t2t = opencc.OpenCC("s2t")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start, span = date(2022, 1, 1), 365 * years
    counts = {"txt": 0, "jsonl": 0, "csv": 0, "html": 0, "articles": 0}
    written = 0
    file_no = 0
    records: list[dict] = []
    while written < n_articles:
        file_no += 1
        sub = out_dir / f"{file_no // 1000:04d}"
        sub.mkdir(exist_ok=True)
        shape = rng.random()
        if shape < 0.55:
            reports = [_report(rng, start, span) for _ in range(rng.choice([1, 1, 2, 3]))]
            text = _page(rng, reports)
            if rng.random() < 0.1:
                (sub / f"post{file_no}.txt").write_bytes(
                    t2t.convert(text).encode("big5", "replace")
                )
            elif rng.random() < 0.15:
                (sub / f"post{file_no}.txt").write_bytes(text.encode("gb18030"))
            else:
                (sub / f"post{file_no}.txt").write_text(text, encoding="utf-8")
            counts["txt"] += 1
            written += len(reports)
        elif shape < 0.9:
            batch = [_report(rng, start, span) for _ in range(min(50, n_articles - written))]
            records = [_record(r, written + i) for i, r in enumerate(batch)]
            if rng.random() < 0.7:
                lines = [json.dumps(rec, ensure_ascii=False) for rec in records]
                (sub / f"feed{file_no}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
                counts["jsonl"] += 1
            else:
                buf = io.StringIO()
                writer = csv.DictWriter(buf, fieldnames=list(records[0]))
                writer.writeheader()
                writer.writerows(records)
                (sub / f"export{file_no}.csv").write_text(buf.getvalue(), encoding="utf-8")
                counts["csv"] += 1
            written += len(batch)
        else:
            r = _report(rng, start, span)
            (sub / f"page{file_no}.html").write_text(_html(r), encoding="utf-8")
            counts["html"] += 1
            written += 1
    counts["articles"] = written
    return counts
