"""A routine falls due when its text says (issue 15: the telecom "营业前15–30分钟 班前会" fell due at 17:00). Each routine
of every shipped catalogue is read for an explicit time — a clock time, 营业前/班前, 上班后N小时内, 上午, 下午,
下班前, "N号前" — and its ``at`` (default 17:00), ``day`` and ``weekday`` are compared with it."""
import re
from datetime import time
from pathlib import Path

import pytest
import yaml

CATALOGS = Path(__file__).resolve().parents[2] / "dutydesk" / "org" / "catalogs"
SHIPPED = sorted(path.stem for path in CATALOGS.glob("*.yaml"))  # every shipped catalogue, new ones too
DEFAULT_AT = time(17, 0)  # docs/catalog.md: "at" defaults to 17:00
# Product default the catalogues use where a seed ties a routine to opening time without giving it: the store opens
# at 09:00 (as the property service day, seeds/002_59da8478c28f7f86.txt:1118 篇6); 上班 is 30 minutes before it.
OPENING = time(9, 0)
WORK_STARTS = time(8, 30)
NOON, EVENING = time(12, 0), time(18, 0)
WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _at(routine: dict) -> time:
    value = routine.get("at")
    if value is None:
        return DEFAULT_AT
    if isinstance(value, int):  # YAML 1.1 reads an unquoted 17:00 as sexagesimal minutes
        return _time(value)
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def contradictions(routine: dict) -> list[str]:
    """What in the routine's text its schedule contradicts (empty: none)."""
    text, at, found = routine["text"], _at(routine), []

    def window(low: time | None, high: time | None, words: str) -> None:
        if (low is not None and at < low) or (high is not None and at > high):
            found.append(f"“{words}” but due at {at:%H:%M}")

    for hours, minutes, before in re.findall(r"(\d{1,2})[:：](\d{2})\s*(前|以前)?", text):
        clock = time(int(hours), int(minutes))
        window(None, clock, f"{hours}:{minutes}前") if before else window(clock, clock, f"{hours}:{minutes}")
    if match := re.search(r"营业前(\d+)\s*[–—\-~至到]\s*(\d+)\s*分钟", text):
        low, high = sorted(int(n) for n in match.groups())
        window(_time(_minutes(OPENING) - high), _time(_minutes(OPENING) - low), match.group(0))
    elif re.search(r"营业前|开门前|上班前|(?<![下交])班前", text):
        window(None, OPENING, "营业前")
    if match := re.search(r"上班后(\d+)\s*小时内", text):
        window(WORK_STARTS, _time(_minutes(WORK_STARTS) + 60 * int(match.group(1))), match.group(0))
    if re.search(r"上午|早上|早晨|晨会|当天天气预报", text):
        window(None, NOON, "上午")
    if "下午" in text:
        window(NOON, EVENING, "下午")
    if "下班前" in text:
        window(NOON, EVENING, "下班前")
    if re.search(r"晚上|夜间", text):
        window(EVENING, None, "晚上")
    if routine.get("schedule") == "monthly":
        for day in re.findall(r"(\d{1,2})\s*[号日]\s*(?:前|以前)", text):
            if int(routine.get("day") or 1) > int(day):
                found.append(f"“{day}号前” but due on the {routine.get('day')}th")
    if routine.get("schedule") == "weekly":
        if match := re.search(r"每周([一二三四五六日天])", text):
            if (routine.get("weekday") or 5) != WEEKDAYS[match.group(1)]:
                found.append(f"“{match.group(0)}” but due on weekday {routine.get('weekday')}")
    return found


def _routines():
    for code in SHIPPED:
        document = yaml.safe_load((CATALOGS / f"{code}.yaml").read_text(encoding="utf-8"))
        for post in document["posts"]:
            for routine in post.get("routines") or []:
                yield pytest.param(routine, id=f"{code}:{post['code']}:{routine['code']}")


@pytest.mark.parametrize("routine", list(_routines()))
def test_each_shipped_routine_falls_due_when_its_text_says(routine):
    assert contradictions(routine) == []


@pytest.mark.parametrize("text, at, wrong", [
    ("营业前15–30分钟组织召开班前会并做好班前会记录", None, True),  # the telecom briefing as shipped before issue 15
    ("营业前15–30分钟组织召开班前会并做好班前会记录", "08:45", False),
    ("营业前15–30分钟组织召开班前会并做好班前会记录", "08:50", True),
    ("17:00前检查当天各登记事项的处理情况", "17:00", False),
    ("17:00前检查当天各登记事项的处理情况", "18:00", True),
    ("9:00前跟进前一天未完成的客户投诉", None, True),
    ("下班前于电脑提取当天输入的资料复检", None, False),
    ("上午发布当天天气预报", None, True),
    ("上班后1小时内在厅内全面巡视", "09:30", False),
    ("上班后1小时内在厅内全面巡视", "10:30", True),
    ("巡视物业现场", None, False),
])
def test_the_reading_of_a_text_catches_a_contradicting_time(text, at, wrong):
    routine = {"text": text, "schedule": "daily", **({"at": at} if at else {})}
    assert bool(contradictions(routine)) is wrong


def test_the_reading_of_a_text_catches_a_contradicting_day():
    assert contradictions({"text": "每月5号前完成部门的月度工作总结", "schedule": "monthly", "day": 10})
    assert not contradictions({"text": "每月5号前完成部门的月度工作总结", "schedule": "monthly", "day": 5})
    assert contradictions({"text": "每周一巡检消防器材", "schedule": "weekly", "weekday": 5})
