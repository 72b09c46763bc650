"""The sentence rules one by one (dutydesk/drafts/rules.py), each with the seed wording it was written for."""
from decimal import Decimal

import pytest

from dutydesk.drafts import rules
from dutydesk.drafts.text import normalise


def standards(sentence):
    return [(s.limit_minutes, s.procedure) for s in rules.standards_in(normalise(sentence))]


def routines(sentence):
    return [(r.schedule, r.at, r.weekday, r.day, r.times) for r in rules.routines_in(normalise(sentence))]


def kpis(sentence):
    return [(k.name, k.target, k.unit, k.direction) for k in rules.kpis_in(normalise(sentence))]


@pytest.mark.parametrize("sentence, limit", [
    ("确保5分钟内办理来访登记工作", 5),  # seeds/004:59
    ("确保在30分钟内完成入住收楼工作", 30),  # seeds/004:42
    ("接到报修后半小时内到达现场", 30),
    ("一般问题在48小时内给予客户回复", 48 * 60),  # seeds/002 篇6
    ("抱怨单最迟3天内必须进行封闭", 3 * 24 * 60),  # seeds/000:264
    ("确保10分钟完成IC卡资料档案分类和存档管理工作", 10),  # seeds/004:89, no 内
    ("確保在15分鐘內完成出入證的辦證工作", 15),  # traditional characters (seed 004 as written)
])
def test_a_time_limit_becomes_a_standard_in_minutes(sentence, limit):
    assert [found[0] for found in standards(sentence)] == [limit]


def test_the_standard_names_the_procedure_it_times():
    assert standards("确保在30分钟内完成入住收楼工作") == [(30, "入住收楼")]
    assert standards("確保在30分鐘內完成轉名、退樓工作")[0][1] == "转名退楼"  # 轉名 (seed 004:48) is 转名


def test_a_count_based_standard_is_kept_as_text_without_minutes():
    found = rules.standards_in(normalise("電話鈴響三聲內接聽"))  # seeds/002:328
    assert [(s.limit_minutes, s.text) for s in found] == [(None, "电话铃响三声内接听")]


def test_a_sentence_without_a_limit_has_no_standard():
    assert standards("每月平均扣分少于3分") == [] and standards("营业前15-30分钟组织班前会") == []


@pytest.mark.parametrize("sentence, expected", [
    ("每日清点借取、留置的钥匙", [("daily", None, None, None, None)]),  # seeds/004:110
    ("每天巡视物业现场", [("daily", None, None, None, None)]),  # seeds/000:450
    ("每周对未完成之工作项目进行统计分析", [("weekly", None, 5, None, None)]),  # seeds/000:491, Friday by default
    ("每周一对门市消防器材进行巡检", [("weekly", None, 1, None, None)]),  # seeds/001:99
    ("确保每月5号前完成部门的总结工作", [("monthly", "17:00", None, 5, None)]),  # seeds/004:73
    ("每月25號、10號前繳交跟催欠費通知情況到領班", [("monthly", "17:00", None, 25, None), ("monthly", "17:00", None, 10, None)]),
    ("每日巡查不少于两次", [("daily", None, None, None, 2)]),
    ("每周不少于三次巡视物业现场", [("times_per_week", None, None, None, 3)]),  # seeds/000:436
    ("每周不少于1次巡视物业现场", [("weekly", None, 5, None, None)]),  # seeds/000:405
    ("负责每日下午17:00前检查当天各登记事项的处理情况", [("daily", "17:00", None, None, None)]),  # seeds/004:126
    ("负责每日9:00前跟进前一天未完成客户投诉", [("daily", "09:00", None, None, None)]),  # seeds/004:127
    ("17:00前检查当天登记的事项", [("daily", "17:00", None, None, None)]),
    ("每天下班前于电脑提取当天输入的资料以作复检", [("daily", "17:00", None, None, None)]),  # seeds/004:111
    ("每周、月向上级递交工作报告", [("weekly", None, 5, None, None), ("monthly", "17:00", None, 5, None)]),  # 000:461
])
def test_routine_patterns(sentence, expected):
    assert routines(sentence) == expected


def test_a_monthly_routine_moved_over_holidays_says_so():
    found = rules.routines_in(normalise("客户经理应在每月5日前(节假日顺延)撰写《客户月度销售情况分析报告》"))  # seeds/003:33
    assert [(r.schedule, r.day, r.holiday_shift) for r in found] == [("monthly", 5, True)]


def test_a_frequency_inside_a_target_is_not_a_routine():
    assert routines("确保每周收集意见数不少于7条") == []  # seeds/004:58: a KPI
    assert routines("确保每月所负责辖区的物业管理费收费率达95%以上") == []  # seeds/004:63: a KPI
    assert routines("负责业主档案管理工作") == []


@pytest.mark.parametrize("sentence, expected", [
    ("确保管理费收费率≥95%", [("管理费收费率", Decimal(95), "%", "higher")]),
    ("业户满意度达90%以上", [("业户满意度", Decimal(90), "%", "higher")]),
    ("确保每月所负责辖区的物业管理费收费率达95%以上", [("物业管理费收费率", Decimal(95), "%", "higher")]),  # 004:63
    ("确保每周收集意见数不少于7条", [("收集意见数", Decimal(7), "条/周", "higher")]),  # seeds/004:58
    ("月平均扣分少于3分", [("月平均扣分", Decimal(3), "分", "lower")]),  # seeds/004:43
    ("未能按时交总结次数少于2次/年", [("未能按时交总结次数", Decimal(2), "次/年", "lower")]),  # seeds/004:74
])
def test_kpi_patterns(sentence, expected):
    assert kpis(sentence) == expected


def test_a_weekly_count_of_times_is_a_routine_not_a_kpi():
    assert kpis("每周不少于2次巡查物业公共区域") == []


def test_a_weighted_kpi_of_a_kpi_list():
    found = rules.weighted_kpi(normalise("大客戶業績目標完成率(20%)"))  # seeds/004:165
    assert (found.name, found.weight, found.target, found.unit) == ("大客户业绩目标完成率", Decimal(20), Decimal(100), "%")


@pytest.mark.parametrize("sentence, superior", [
    ("在客户服务经理的领导下，制定各项业务规划", "客户服务经理"),  # seeds/000:418
    ("对客服主管负责，完成前台接待", "客服主管"),
    ("定期向客户服务经理汇报工作", "客户服务经理"),
    ("及时向上级汇报", None),  # "上级" names no post
    ("对本部门的工作规划进行审核", None),
])
def test_superior_phrases(sentence, superior):
    assert rules.superior_phrase(normalise(sentence)) == superior


def test_a_field_of_two_posts_names_both():
    assert rules.names_in("环境管理主管/副主管、客服主管") == ["环境管理主管", "环境管理副主管", "客服主管"]  # 000:416
    assert rules.names_in("会议服务助理、(上市大厅、典藏博览)服务助理") == ["会议服务助理", "(上市大厅、典藏博览)服务助理"]
    assert rules.names_in("无") == []
