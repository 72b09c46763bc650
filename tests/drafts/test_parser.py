"""How a text is cut into posts: headings and numbering in the styles of the seeds, sections, reporting lines, tables
from .docx, and the line of every item."""
import io

import pytest
from django.utils import translation
from docx import Document

from dutydesk.drafts.parser import parse_text
from dutydesk.drafts.text import TextRefused, decode_text, read_upload

TWO_POSTS = """第1篇:客户服务部岗位职责
一、客服主管岗位职责
直接上级:客户服务经理
直接下级:客服员
1、负责客服中心日常管理工作;
2、每周、月向上级递交工作报告。
二、客服员岗位职责
直接上级:客服主管/副主管
(1)负责接待来访业户;
(2)确保5分钟内完成来访登记;
（3）每日17:00前检查当天登记的所有事项。
"""


def by_name(parsed):
    return {post.name: post for post in parsed.posts}


def test_it_reads_posts_superiors_and_items_with_their_lines():
    parsed = parse_text(TWO_POSTS)
    posts = by_name(parsed)
    assert list(posts) == ["客服主管", "客服员"]
    clerk = posts["客服员"]
    assert clerk.superior_post is posts["客服主管"]
    assert [(d.line, d.rule) for d in clerk.duties] == [(9, "负责接待来访业户"), (10, "确保5分钟内完成来访登记"),
                                                        (11, "每日17:00前检查当天登记的所有事项")]
    assert [(s.line, s.rule.limit_minutes) for s in clerk.standards] == [(10, 5)]
    assert [(r.line, r.rule.schedule, r.rule.at) for r in clerk.routines] == [(11, "daily", "17:00")]
    assert posts["客服主管"].subordinates == ["客服员"]
    assert parsed.departments == ["客户服务部"]


def test_an_unknown_superior_is_a_warning_never_a_post():
    with translation.override("en"):
        parsed = parse_text(TWO_POSTS)
    supervisor = by_name(parsed)["客服主管"]
    assert supervisor.superior == "客户服务经理" and supervisor.superior_post is None
    assert [post.name for post in parsed.posts] == ["客服主管", "客服员"]
    assert any("客户服务经理" in w and "客服主管" in w and "line 3" in w for w in parsed.warnings)


@pytest.mark.parametrize("heading", ["客服员岗位职责", "1.0客服员岗位职责", "一、客服员", "客服员:", "【客服员】",
                                     "岗位名称:客服员", "篇2:客服员职务说明书(七)", "第3篇:客服员岗位职责",
                                     "2016客服员岗位职责", "客服员的岗位职责"])
def test_post_heading_styles(heading):
    parsed = parse_text(f"{heading}\n1、负责接待来访业户;\n2、负责受理报修。\n")
    assert [(post.name, len(post.duties)) for post in parsed.posts] == [("客服员", 2)]


@pytest.mark.parametrize("item", ["1、负责接待来访业户", "1. 负责接待来访业户", "（1）负责接待来访业户", "(1)、负责接待来访业户",
                                  "一、负责接待来访业户", "1负责接待来访业户", "1.1 负责接待来访业户", "A、负责接待来访业户",
                                  "①负责接待来访业户"])
def test_numbering_styles(item):
    parsed = parse_text(f"客服员岗位职责\n{item}\n")
    assert [d.rule for d in parsed.posts[0].duties] == ["负责接待来访业户"]


def test_sections_that_are_not_duties_are_left_out():
    text = ("前台客户助理岗位职责\n(一)任职资格:\n1、学历要求:大专以上学历。\n(二)岗位职责\n1、负责来访登记工作。\n"
            "(三)工作目标及衡量标准\n1、工作目标:确保5分钟内办理来访登记工作。\n衡量标准:月平均扣分少于3分。\n")
    post = parse_text(text).posts[0]
    assert [d.rule for d in post.duties] == ["负责来访登记工作"]  # targets measure, they are not duties
    assert [(s.line, s.rule.limit_minutes) for s in post.standards] == [(7, 5)]
    assert [(k.rule.name, k.rule.direction) for k in post.kpis] == [("月平均扣分", "lower")]


def test_one_sentence_per_item_and_a_line_broken_mid_sentence_is_joined():
    text = ("客服主管岗位职责\n负责受理业户投诉; 负责安排维修。完成上级交办的其它工作任务\n"
            "衡量标准:通过电话、信函、面访、社区文化活动形式与业主形成密切关系,了解\n客人的意见与动向,确保每周收集意见数不少于7条。\n")
    post = parse_text(text).posts[0]
    assert [d.rule for d in post.duties] == ["负责受理业户投诉", "负责安排维修", "完成上级交办的其它工作任务"]
    assert [(k.line, k.rule.target, k.rule.unit) for k in post.kpis] == [(3, 7, "条/周")]


def test_a_superior_named_like_the_post_it_means_resolves():
    text = ("环境管理主管岗位职责\n1、负责环境管理。\n清洁监管员岗位职责\n直接上级:环境主管/副主管\n1、负责清洁巡查。\n")
    posts = by_name(parse_text(text))
    assert posts["清洁监管员"].superior_post is posts["环境管理主管"]  # seeds/000:514


def test_a_superior_from_a_duty_sentence():
    text = "客服主管岗位职责\n1、负责日常管理。\n客服副主管岗位职责\n1、在客服主管的领导下，负责客服中心日常工作。\n"
    posts = by_name(parse_text(text))
    assert posts["客服副主管"].superior_post is posts["客服主管"] and posts["客服副主管"].superior_how == "phrase"


def test_a_document_title_gives_its_superior_to_the_posts_under_it():
    text = ("物业客户助理职务说明书\n(一)工作关系:\n1、直接上级:客服主管\n(二)岗位职责\n前台客户助理:\n1、负责来访登记工作。\n"
            "客服主管岗位职责\n1、负责日常管理。\n")
    posts = by_name(parse_text(text))
    assert set(posts) == {"前台客户助理", "客服主管"}
    assert posts["前台客户助理"].superior_post is posts["客服主管"]


def test_traditional_characters_and_pinyin_glosses_are_normalised():
    post = parse_text("客服崗位職責(zé)\n1、確保在30分鐘內完成轉名、退樓工作。\n").posts[0]
    assert post.name == "客服" and post.standards[0].rule.procedure == "转名退楼"


def test_a_reporting_cycle_is_broken_with_a_warning():
    text = "甲主管岗位职责\n直接上级:乙主管\n1、负责甲事。\n乙主管岗位职责\n直接上级:甲主管\n1、负责乙事。\n"
    parsed = parse_text(text)
    assert sum(1 for p in parsed.posts if p.superior_post is None) == 1
    assert any("itself" in w or "自己" in w for w in parsed.warnings)


def test_a_docx_table_is_read_as_fields():
    document = Document()
    document.add_paragraph("客服部岗位说明书")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text, table.cell(0, 3).text = \
        "岗位名称", "客服员", "直接上级", "客服主管"
    table.cell(1, 0).text, table.cell(1, 1).text = "直接下级", "无"
    duties = table.cell(2, 0).merge(table.cell(2, 0))
    duties.text = "工作职责"
    table.cell(2, 1).merge(table.cell(2, 3)).text = "1、负责接待来访业户;\n2、确保10分钟内完成来访登记。"
    document.add_paragraph("客服主管岗位职责")
    document.add_paragraph("1、负责日常管理。")
    data = io.BytesIO()
    document.save(data)
    posts = by_name(parse_text(read_upload(data.getvalue(), filename="jd.docx")))
    assert set(posts) == {"客服员", "客服主管"}
    assert [d.rule for d in posts["客服员"].duties] == ["负责接待来访业户", "确保10分钟内完成来访登记"]
    assert posts["客服员"].superior_post is posts["客服主管"]
    assert [s.rule.limit_minutes for s in posts["客服员"].standards] == [10]


def test_gb18030_text_is_read():
    assert decode_text("客服员岗位职责".encode("gb18030")) == "客服员岗位职责"


@pytest.mark.parametrize("junk", [b"\x00\x01\x02binary\x00", bytes(range(256)) * 20, b"   \n  ", b"PK\x03\x04not a zip"])
def test_junk_is_refused(junk):
    with pytest.raises(TextRefused):
        read_upload(junk)
