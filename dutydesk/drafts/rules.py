"""The sentence rules: what one normalised sentence of a job description says about time standards, routines, KPIs
and reporting lines. Each rule is a small regular expression over the simplified text, with jieba's words where a
name has to be cut out of a clause (the procedure a standard times, the measure a KPI counts). The seeds the rules
were written against are cited beside them."""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from dutydesk.drafts.text import chinese_number, display, words

NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百半]+)"
CLAUSE_SPLIT = re.compile(r"[,;。!?]")


def _number(text: str) -> Decimal | None:
    if text == "半":
        return Decimal("0.5")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    value = chinese_number(text)
    return None if value is None else Decimal(value)


def clauses(sentence: str) -> list[str]:
    return [c.strip() for c in CLAUSE_SPLIT.split(sentence) if c.strip()]


# -- time standards (服务时限) -----------------------------------------------------------------------------------------

@dataclass
class StandardRule:
    text: str
    limit_minutes: int | None  # None: a count-based standard (铃响三声内), kept as text
    procedure: str  # the procedure's name, cut from the clause


MINUTES = {"秒": None, "分钟": 1, "分": 1, "小时": 60, "个小时": 60, "钟头": 60, "个钟头": 60, "天": 1440, "日": 1440,
           "个工作日": 1440, "工作日": 1440, "周": 10080, "个星期": 10080, "星期": 10080}
# "5分钟内" / "半小时内" / "48小时内" / "3天内" (seeds/004_418914185ea837fa.txt:42 确保在30分钟内完成入住收楼工作;
# seeds/000_d44081c6db2527f0.txt:264 抱怨单最迟3天内必须进行封闭); "10分钟完成" without 内 (004:89)
_LIMIT = re.compile(NUM + r"\s*(个小时|个钟头|小时|钟头|分钟|个工作日|工作日|个星期|星期|天|周|秒)\s*(?:之内|以内|内)")
_LIMIT_DONE = re.compile(NUM + r"\s*(分钟|小时)\s*(?=完成|办结|办理|处理完|回复|答复|到达|到场|响应)")
_COUNT_LIMIT = re.compile(r"铃响\s*" + NUM + r"\s*声\s*(?:之内|以内|内)")  # seeds/002_59da8478c28f7f86.txt:328 铃响三声内接听
_PROCEDURE_STOP = {"确保", "保证", "务必", "要", "须", "必须", "应", "应当", "需", "需要", "在", "于", "之内", "内", "以内",
                   "完成", "办理", "办结", "进行", "做好", "工作", "的", "将", "及时", "能", "并", "给予", "予以", "最迟",
                   "最晚", "负责", "确保在", "完成", "从", "起", "后", "一般", "原则上", "原则", "上"}


def standards_in(sentence: str) -> list[StandardRule]:
    found: list[StandardRule] = []
    for clause_index, clause in enumerate(clauses(sentence)):
        for pattern in (_LIMIT, _LIMIT_DONE):
            for match in pattern.finditer(clause):
                amount, unit = _number(match[1]), match[2]
                per = MINUTES.get(unit)
                if amount is None or amount <= 0:
                    continue
                limit = int(amount * per) if per else None
                found.append(StandardRule(display(sentence), limit if limit and limit > 0 else None,
                                          _procedure(clause, match, sentence, clause_index)))
            if found:
                break
        for match in _COUNT_LIMIT.finditer(clause):
            found.append(StandardRule(display(sentence), None, _procedure(clause, match, sentence, clause_index)))
    return found


def _procedure(clause: str, match: re.Match, sentence: str, clause_index: int) -> str:
    """The procedure a limit times: the clause without the limit and the helper words (确保在30分钟内完成入住收楼工作 →
    入住收楼). A clause that is only the limit (负责X, 确保10分钟内完成) takes the clause before it."""
    rest = (clause[:match.start()] + " " + clause[match.end():]).strip()
    name = _strip_words(rest)
    if len(name) < 2 and clause_index > 0:
        name = _strip_words(clauses(sentence)[clause_index - 1])
    return display(name)[:40] or display(clause)[:40]


def _strip_words(text: str) -> str:
    kept = [w for w in words(text) if w not in _PROCEDURE_STOP and not re.fullmatch(r"[\d.:、()（）\s]+", w)]
    return "".join(kept).strip("、()（） ")


# -- routines (例行工作) -----------------------------------------------------------------------------------------------

@dataclass
class RoutineRule:
    text: str
    schedule: str  # daily | weekly | monthly | times_per_week
    at: str | None = None  # "HH:MM" when the text gives a time
    weekday: int | None = None
    day: int | None = None
    times: int | None = None
    holiday_shift: bool = False  # "节假日顺延" (seeds/003_8a370fd4b7ddc47d.txt:33): the engine moves a due day off holidays
    defaults: list[str] = field(default_factory=list)  # which of at/weekday/day the catalogue fills, not the text


_DAILY = r"每日|每天|每个工作日|天天|每晚|每早"
_WEEKLY = r"每周|每星期|每个星期|每礼拜"
# "月度考评" is a monthly duty (seeds/000_d44081c6db2527f0.txt:437 负责…服务的月度考评), "月度损耗数据" is not (:428)
_MONTHLY = r"每月|每个月|月度(?=考评|考核|总结|报告|报表|计划|盘点|评估|例会|分析报告)"
_WEEK_AND_MONTH = re.compile(r"每周\s*[、及和与/]\s*(?:每)?月")  # 每周、月向上级递交工作报告 (000:461): two routines
_TIMES = re.compile(r"(" + _DAILY + "|" + _WEEKLY + r")[^,;。]{0,20}?(?:不少于|至少|不低于|不得少于)\s*" + NUM + r"\s*(?:次|遍|回)")
_TIMES_PLAIN = re.compile(r"(" + _DAILY + "|" + _WEEKLY + r")\s*" + NUM + r"\s*(?:次|遍|回)")
_DAYS_BEFORE = re.compile(r"((?:\d{1,2}\s*[号日]\s*[、,和及与或]?\s*)+)(?:之|以)?前")
_DAY_HAO_BEFORE = re.compile(r"((?:\d{1,2}\s*号\s*[、,和及与或]?\s*)+)(?:之|以)?前")
_MONTH_END = re.compile(r"月底(?:之|以)?前|月末(?:之|以)?前")
_AT = re.compile(r"(上午|下午|晚上|早上|中午|傍晚)?\s*(\d{1,2})\s*(?::|点|时)\s*(\d{2})?\s*(?:分)?\s*(?:之|以)?前")
_AFTER_WORK = re.compile(r"下班前")
_WEEKDAY = re.compile(r"每(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
# a count per period that is a target, not a frequency: 每周收集意见数不少于7条 (004:58), 每月员工培训工作不少于8小时 (004:97)
_COUNT_TARGET_UNITS = "条|份|个|户|人|小时|篇|家|单|位|元|万|件|场|套|名"


def routines_in(sentence: str) -> list[RoutineRule]:
    """The routines one sentence asks for. Frequencies inside a KPI clause (确保每月…收费率达95%以上) are the KPI's
    period, not a routine."""
    found: list[RoutineRule] = []
    plain = [c for c in clauses(sentence) if not kpis_in(c)]
    body = ",".join(plain)
    if not body:
        return found
    text = display(body)
    at, at_default = _time_of_day(body)
    holiday = "节假日顺延" in sentence or "遇节假日顺延" in sentence
    times_match = _TIMES.search(body) or _TIMES_PLAIN.search(body)
    if times_match:
        period, count = times_match[1], chinese_number(times_match[2]) if not times_match[2].isdigit() else int(times_match[2])
        if count:
            if re.fullmatch(_DAILY, period):
                found.append(RoutineRule(text, "daily", at=at, times=count if count > 1 else None,
                                         defaults=["at"] if at is None else []))
            elif count == 1:
                found.append(RoutineRule(text, "weekly", at=at, weekday=5, defaults=["weekday"]))
            elif count <= 7:
                found.append(RoutineRule(text, "times_per_week", at=at, times=count))
    else:
        if re.search(_DAILY, body):
            found.append(RoutineRule(text, "daily", at=at, defaults=["at"] if at is None or at_default else []))
        if re.search(_WEEKLY, body):
            weekday_match = _WEEKDAY.search(body)
            weekday = _WEEKDAYS[weekday_match[1]] if weekday_match else 5
            found.append(RoutineRule(text, "weekly", at=at, weekday=weekday,
                                     defaults=[] if weekday_match else ["weekday"]))
        elif "周末前" in body:  # seeds/003_8a370fd4b7ddc47d.txt: 周末前制定下周拜访计划
            found.append(RoutineRule(text, "weekly", at=at, weekday=5))
    monthly = bool(re.search(_MONTHLY, body)) or bool(_WEEK_AND_MONTH.search(body))
    days: list[int] = []
    day_pattern = _DAYS_BEFORE if monthly else _DAY_HAO_BEFORE  # "N号前" alone is a day of the month; "N日前" needs 每月
    for match in day_pattern.finditer(body):
        days.extend(int(d) for d in re.findall(r"\d{1,2}", match[1]) if 1 <= int(d) <= 31)
    if _MONTH_END.search(body):
        days.append(28)  # the last day every month has
    if days or monthly:
        for day in dict.fromkeys(days) or [None]:
            found.append(RoutineRule(text, "monthly", at=at if at else "17:00", day=day or 5, holiday_shift=holiday,
                                     defaults=(["day"] if day is None else []) + (["at"] if not at else [])))
    if not found and at and not at_default:  # "17:00前…" with no period: a deadline every day
        found.append(RoutineRule(text, "daily", at=at))
    return found


def _time_of_day(text: str) -> tuple[str | None, bool]:
    """("17:00", False) from 下午17:00前 / 下午5点前; ("17:00", True) from 下班前 (the end of the working day, a default)."""
    match = _AT.search(text)
    if match:
        hour, minute = int(match[2]), int(match[3] or 0)
        if match[1] in ("下午", "晚上", "傍晚") and hour < 12:
            hour += 12
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return f"{hour:02d}:{minute:02d}", False
    if _AFTER_WORK.search(text):
        return "17:00", True
    return None, False


# -- KPIs (指标) -------------------------------------------------------------------------------------------------------

@dataclass
class KpiRule:
    name: str
    target: Decimal
    unit: str
    direction: str  # higher | lower
    weight: Decimal | None = None
    text: str = ""


_HIGHER = re.compile(r"(达到|达|≥|>=|不低于|不少于|不得少于|大于等于|至少|保持在|高于)\s*" + NUM
                     + r"\s*(%|‰|分|条|次|份|个|户|人|小时|天|元|件|篇|家|单|位|场|名)?\s*(?:/\s*(年|月|季|季度|周|日|天))?"
                     r"\s*(?:以上|及以上|或以上)?")
_LOWER = re.compile(r"(?<![不得])(少于|低于|不超过|不高于|不得超过|小于|≤|<=|控制在)\s*" + NUM
                    + r"\s*(%|‰|分|条|次|份|个|户|人|小时|天|元|件|篇|家|单|位|场|名)?\s*(?:/\s*(年|月|季|季度|周|日|天))?"
                    r"\s*(?:以下|以内)?")
_PERIOD_PREFIX = re.compile(r"^(?:确保|保证|使|力争|要求)?\s*(每周|每月|每年|每季度|每季|每日|每天|季度|年度|月度|全年)")
_PERIOD_NAMES = {"每周": "周", "周": "周", "每月": "月", "月": "月", "月度": "月", "每年": "年", "年": "年", "年度": "年",
                 "全年": "年", "每季度": "季", "每季": "季", "季度": "季", "每日": "日", "每天": "日"}
_NAME_LEAD = re.compile(r"^(?:衡量标准|工作目标|考核标准)?[:\s]*(?:确保|保证|使|力争|要求)?\s*")
_KPI_WEIGHT = re.compile(r"^(?P<name>[^()]{2,40}?)\s*\)?\s*\(\s*(?P<weight>\d+(?:\.\d+)?)\s*%\s*\)$")


def kpis_in(sentence: str) -> list[KpiRule]:
    """KPIs with a number: 收费率达95%以上 / 收费率≥95% (higher), 月平均扣分少于3分 / 次数少于2次/年 (lower),
    每周…不少于7条 (a count per period). "每周不少于2次巡查" is a routine, not a KPI (次 per day or week)."""
    found: list[KpiRule] = []
    for clause in clauses(sentence):
        for pattern, direction in ((_HIGHER, "higher"), (_LOWER, "lower")):
            for match in pattern.finditer(clause):
                amount = _number(match[2])
                unit = match[3] or ""
                if amount is None:
                    continue
                before, after = clause[:match.start()], clause[match.end():]
                period_match = _PERIOD_PREFIX.search(before.strip())
                period = _PERIOD_NAMES.get(period_match[1]) if period_match else None
                per = match[4] and _PERIOD_NAMES.get(match[4], match[4].replace("季度", "季"))
                if unit in ("次", "遍", "回", "") and period in ("日", "周") and direction == "higher":
                    continue  # 每周不少于1次巡视 (000:405): a routine
                if not unit and direction == "higher" and match[1] in ("达", "保持在", "至少", "不少于"):
                    continue  # a bare number after 达 is rarely a target ("达2人")
                name = _kpi_name(before[period_match.end():] if period_match else before, after)
                if not name:
                    continue
                per = per or period
                found.append(KpiRule(name=name, target=amount, unit=f"{unit}/{per}" if per and unit not in ("", "%", "‰") else unit,
                                     direction=direction, text=display(sentence)))
    return found


def _kpi_name(before: str, after: str) -> str:
    name = _NAME_LEAD.sub("", before.strip())
    name = re.sub(r"\([^)]*\)", "", name)  # 管理费收费率(实收÷应收)
    if "的" in name and len(name.rsplit("的", 1)[1]) >= 2:  # 确保每月所负责辖区的物业管理费收费率 → 物业管理费收费率
        name = name.rsplit("的", 1)[1]
    name = name.strip(" :、")
    if len(name) < 2:  # 每年不少于2次组织业户的满意度调查: the measure follows the number
        name = _NAME_LEAD.sub("", after.strip()).strip(" :、")
    return display(name)[:40] if len(name) >= 2 else ""


def weighted_kpi(item: str) -> KpiRule | None:
    """An item of a 关键业绩指标及权重 list: 大客户业绩目标完成率(20%) (seeds/004_418914185ea837fa.txt:165)."""
    match = _KPI_WEIGHT.match(item.strip())
    if not match:
        return None
    return KpiRule(name=display(match["name"]).rstrip("）)"), target=Decimal(100), unit="%", direction="higher",
                   weight=Decimal(match["weight"]), text=display(item))


# -- reporting lines (直接上级 / 直接下级) --------------------------------------------------------------------------------

POST_SUFFIXES = ("员", "助理", "主管", "经理", "总监", "主任", "领班", "组长", "班长", "管家", "专员", "秘书", "司机", "师",
                 "长", "处", "顾问", "代表", "会计", "出纳", "督导", "技工", "工", "总", "室", "柜员", "收银", "保安", "前台")
SUPERIOR_FIELD = re.compile(r"^(?:直接上级|直属上级|上级岗位|直接领导|汇报对象|报告对象|汇报上级|向上负责|上级)\s*:\s*(.*)$")
SUBORDINATE_FIELD = re.compile(r"^(?:直接下级|直属下级|下级岗位|下属岗位|向下指导|管理对象|直接下属)\s*:\s*(.*)$")
_LEADERSHIP = re.compile(r"在\s*([^,;。的]{2,20}?)\s*的(?:直接)?领导下")  # 在客户服务经理的领导下 (000:418)
_RESPONSIBLE_TO = re.compile(r"(?:^|[,;。\s])对\s*([^,;。对]{2,15}?)\s*负责")
_REPORTS_TO = re.compile(r"(?:^|[,;。\s]|并|及时|定期)向\s*([^,;。向]{2,15}?)\s*(?:汇报|报告|请示)")
_GENERIC_SUPERIORS = {"上级", "领导", "上级领导", "部门上级", "上级主管", "主管领导", "部门领导", "公司", "部门经理", "经理",
                      "主管", "直接上级", "相关部门", "有关部门", "业户", "客户", "业主", "上级部门"}


def looks_like_post(name: str) -> bool:
    return len(name) >= 2 and name.endswith(POST_SUFFIXES)


def superior_phrase(sentence: str) -> str | None:
    """A superior named in a duty sentence, for a post with no 直接上级 line: 在X的领导下, 对X负责, 向X汇报."""
    for pattern in (_LEADERSHIP, _RESPONSIBLE_TO, _REPORTS_TO):
        match = pattern.search(sentence)
        if match:
            name = match[1].strip()
            if name not in _GENERIC_SUPERIORS and looks_like_post(name) and not name.startswith(("本", "各", "相关")):
                return name
    return None


def names_in(field_text: str) -> list[str]:
    """Post names of a 直接上级/直接下级 field: 环境管理主管/副主管、客服主管 → 环境管理主管, 环境管理副主管, 客服主管
    ("A/B" where B shares A's ending names a second post with A's beginning). 无 → none."""
    names: list[str] = []
    for part in _split_outside_brackets(field_text):
        part = part.strip(" :")
        if not part or part in ("无", "暂无", "—", "-", "/"):
            continue
        alternatives = [a.strip() for a in part.split("/") if a.strip()]
        first = alternatives[0] if alternatives else ""
        for alternative in alternatives:
            common = _common_suffix(first, alternative)
            if alternative != first and common and len(alternative) < len(first):
                alternative = first[:len(first) - len(common)] + alternative
            if alternative not in names:
                names.append(alternative)
    return names


def _split_outside_brackets(text: str) -> list[str]:
    """专项服务助理、(上市大厅、典藏博览)服务助理 → two names: a 、 inside brackets separates nothing."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "(（"
        depth -= ch in ")）" and depth > 0
        if depth == 0 and ch in "、,;，；和及":
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


def _common_suffix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size]:
        size += 1
    return a[len(a) - size:] if size else ""
