"""Job-description text → posts with their duties, time standards, routines and KPIs, each item with the line it came
from. The structure rules follow the seeds (``../shared/seeds/``): documents split into parts (第1篇 / 篇2), posts
headed "X岗位职责" / "X职务说明书" / "X:" / "一、X" / a 岗位名称 field, sections (岗位职责, 工作目标及衡量标准,
架构关系, 任职资格 ...) that say what the lines under them are, numbered items in every style the seeds use
(1、 1. 1.0 （1） 一、 A、 and a bare 1 before the text). The sentence rules are in ``rules.py``."""
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dutydesk.drafts import rules
from dutydesk.drafts.text import MAX_ITEM_CHARS, Line, display, name_key, split_lines

CJK = r"\u4e00-\u9fff"
NUMBERING = re.compile(
    r"^\s*(?:第\s*[\d一二三四五六七八九十]+\s*[条项章节]\s*"
    r"|\(\s*[\d一二三四五六七八九十]{1,3}\s*\)\s*[、.]?\s*"
    r"|\d{1,3}(?:\.\d{1,3})+\s*[、.)]?\s*"
    r"|\d{1,3}\s*[、.)]\s*"
    r"|[一二三四五六七八九十]{1,3}\s*[、.]\s*"
    r"|[①-⑳]\s*"
    r"|[A-Ha-h]\s*[、.]\s*"
    r"|\d{1,2}(?=[" + CJK + r"])(?![号日月年天个次分小时周岁名人层楼栋座期届]))"
)
CHINESE_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.]")
TERMINAL = tuple("。;:!?")

SECTION_LABELS: list[tuple[re.Pattern, str]] = [(re.compile(p), mode) for p, mode in [
    (r"(?:具体|主要)?(?:岗位|工作|主要)?职责(?:说明|描述|内容|范围|权限)?|职责权限|工作内容|主要工作|工作任务", "duty"),
    (r"(?:工作中)?常犯错误(?:及应对方法)?", "skip"),
    (r"应对方法|改进措施|预防措施", "advice"),
    (r"工作目标(?:及衡量标准)?|衡量标准|考核标准|工作标准|绩效标准|服务标准(?:说明)?|岗位目标", "target"),
    (r"关键业绩指标(?:及权重)?|KPI(?:及权重)?|考核指标(?:及权重)?|业绩指标(?:及权重)?|绩效指标(?:及权重)?", "weights"),
    (r"架构关系|工作关系|报告与指导关系(?:职位通道)?|汇报关系|组织关系|岗位关系|隶属关系", "relation"),
    (r"任职资格|任职条件|任职要求|岗位素质要求|素质要求|基本条件|基本工作条件|工作条件|培训方向(?:/重点)?|说明|合作部门"
     r"|内部部门|外部部门|工作权限|职位通道|可晋升的职位|工作概述|岗位概述|工作重点、难点|工作重点|编制|附|温馨提示"
     r"|服务标准口诀|学历要求|工作经历|工作技能要求|专业素质|经验/技能|思维素质|性格/行为倾向|职位编号|审核|批准|存档"
     r"|学历|年龄|性别", "skip"),
]]
POST_NAME_FIELD = re.compile(r"^(?:岗位名称|职位名称|岗位|职位)\s*:\s*(\S*)")
DEPARTMENT_FIELD = re.compile(r"^(?:所属单位/部门|所属部门|所在部门|部门)\s*:\s*(\S*)")
HEADING = re.compile(r"^(?P<name>.*?)(?:的)?(?:岗位|工作|职务|职位)?(?:职责|说明书|职务说明)(?:说明|描述)?"
                     r"(?:\s*\([一二三四五六七八九十\d]{1,3}\))?(?:_第\d+页)?\s*:?$")
PART_START = re.compile(r"^第\s*([\d一二三四五六七八九十百]+)\s*篇\s*:?\s*(.*)$|^篇\s*(\d+)\s*:\s*(.*)$")
PART_END = re.compile(r"^(.+?)\s+篇\s*(\d+)$")  # seeds/001: "营业主管岗位职责 篇3"
DEPARTMENT_ENDINGS = ("部", "部门", "中心", "科", "公司", "分部")

MID_LINE_SPLITS = [
    re.compile(r"(?<=\S)\s*(?=篇\s*\d+\s*:)"),  # 000:69 "…所列事项 篇2:理货"
    re.compile(r"(?<![\d.])\s*(?=\d+(?:\.\d+)+\s*(?:具体工作职责|工作职责|架构关系|岗位职责))"),  # 000:401 "… 1.2 具体工作职责"
    re.compile(r"\s+(?=(?:直接上级|直接下级|所属单位/部门|所属部门|可晋升的职位|职位编号|向下指导|向上负责)\s*:)"),
    re.compile(r"(?<=[。;])\s*(?=\d+(?:\.\d+)+\s*\(?[^。;]{0,30}?(?:岗位职责|工作职责)$)"),  # 000:548 "…。13.2.2(…)客服员工作职责"
    re.compile(r"(?<=岗位职责)(?=\d+[.、][" + CJK + "])"),  # 000:165 "客户专员岗位职责1.组织管理:…"
    re.compile(r"\s+(?=(?:关键业绩指标及权重|工作权限|基本工作条件|工作重点、难点)\s*:?\s*$)"),  # 004:160, 004:164
    re.compile(r"\s+(?=(?:衡量标准|工作目标)\s*:)"),  # 004:91 "…运作正常 衡量标准:…"
]
SENTENCE_SPLIT = re.compile(r"[。;]|\s+(?=(?:\d{1,3}(?:\.\d{1,3})*[、.]|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}、)\s*[" + CJK + "A-Za-z])")


@dataclass
class Found:
    """One thing read from the text, with where it was read."""

    rule: Any  # rules.StandardRule | rules.RoutineRule | rules.KpiRule | str (a duty)
    line: int
    source: str


@dataclass
class ParsedPost:
    name: str
    line: int
    part: int
    from_title: bool = False
    superior: str | None = None
    superior_line: int | None = None
    superior_how: str = ""  # field | phrase | part
    subordinates: list[str] = field(default_factory=list)
    duties: list[Found] = field(default_factory=list)
    standards: list[Found] = field(default_factory=list)
    routines: list[Found] = field(default_factory=list)
    kpis: list[Found] = field(default_factory=list)
    superior_post: "ParsedPost | None" = None

    @property
    def empty(self) -> bool:
        return not (self.duties or self.standards or self.routines or self.kpis)


@dataclass
class ParsedText:
    posts: list[ParsedPost]
    departments: list[str]
    warnings: list[str]
    lines: list[Line]


@dataclass
class _Segment:
    line: int
    text: str
    starts: list[tuple[int, int]]  # (offset in text, source line) where each joined source line begins

    def line_at(self, offset: int) -> int:
        number = self.line
        for start, line in self.starts:
            if start <= offset:
                number = line
        return number


def strip_numbering(text: str) -> str:
    previous = None
    while previous != text:  # "(1)、" and "1.0 " may come twice over ("3.、如果…")
        previous = text
        text = NUMBERING.sub("", text, count=1).lstrip("、.,:) ")
    return text


def section_label(text: str) -> tuple[str, str] | None:
    """(mode, rest) when the text opens with a section label: "(四)、工作目标及衡量标准" → ("target", "");
    "衡量标准:符合…" → ("target", "符合…"); "15.2 具体工作职责 主要负责…" → ("duty", "主要负责…")."""
    text = strip_numbering(text)
    head, sep, rest = text.partition(":")
    candidates = [(re.sub(r"\s+", "", head), rest)] if sep and len(head) <= 24 else []
    if not sep:
        candidates.append((re.sub(r"\s+", "", text), ""))
        first, _space, after = text.partition(" ")
        if after:
            candidates.append((first, after))
    for label, remainder in candidates:
        for pattern, mode in SECTION_LABELS:
            if pattern.fullmatch(label):
                return mode, remainder.strip()
    return None


def post_heading(text: str, *, known: set[str], longest: int = 24) -> tuple[str, str] | None:
    """("post" | "department" | "group", name) when the text heads a post: "1.0客户服务经理岗位职责",
    "前台客户助理:", "一、值班经理", "篇2:客户助理职务说明书(七)" (the 篇 is gone by now)."""
    chinese_numbered = bool(CHINESE_NUMBERED.match(text))
    text = strip_numbering(text)
    text = re.sub(r"范文[一二三四五六七八九十\d]*$", "", text).strip()
    match = HEADING.match(text)
    if match and match["name"].strip():
        return _classify_name(match["name"], longest=longest)
    if match:
        return None
    colon = re.fullmatch(r"([^,;。:]{2,16}):", text)
    if colon and (rules.looks_like_post(colon[1]) or name_key(colon[1]) in known):
        return _classify_name(colon[1])
    if chinese_numbered and re.fullmatch(r"[^,;。:、\s]{2,12}", text) and rules.looks_like_post(text):
        return _classify_name(text)
    return None


def clean_name(name: str) -> str:
    name = name.strip(" :")
    name = re.sub(r"^\d{4}\s*年?", "", name)  # "2016客户经理岗位职责" (000:296)
    if ")" in name and "(" not in name.split(")", 1)[0]:  # a qualifier cut by a line break: "2、3楼客服中心前台)客服员"
        name = name.split(")", 1)[1]
    name = re.sub(r"^\([^)]*\)", "", name)  # "(2、3楼客服中心前台)客服员"
    name = re.sub(r"\([一二三四五六七八九十\d]{1,3}\)$", "", name)
    return name.strip(" :、")


NOT_IN_NAMES = ("负责", "履行", "完成", "协助", "执行", "制定", "参与", "按照", "根据", "或", "时", "明确", "制订")


def _classify_name(raw: str, *, longest: int = 24) -> tuple[str, str] | None:
    name = clean_name(raw)
    if not 2 <= len(re.sub(r"\(.*?\)", "", name)) <= longest or re.search(r"[,;。:!?]", name) \
            or any(word in re.sub(r"\(.*?\)", "", name) for word in NOT_IN_NAMES):
        return None
    if name.startswith("各") or name.endswith(("各", "员工", "人员")) or "各岗位" in name or "各客服" in name:
        return "group", name
    if name.endswith(DEPARTMENT_ENDINGS):
        return "department", name
    return "post", name


class _Reader:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.posts: list[ParsedPost] = []
        self.by_part: dict[int, dict[str, ParsedPost]] = {}
        self.part = 0
        self.current: ParsedPost | None = None
        self.mode = "duty"
        self.relation_field: str | None = None
        self.part_superior: dict[int, tuple[str, int]] = {}
        self.departments: list[str] = []
        self.warnings: list[str] = []
        self.unassigned: list[int] = []

    # -- segments --

    def segments(self) -> list[_Segment]:
        pieces: list[_Segment] = []
        for line in self.lines:
            parts = [line.text]
            for pattern in MID_LINE_SPLITS:
                parts = [piece for part in parts for piece in pattern.split(part)]
            pieces.extend(_Segment(line.number, part.strip(), [(0, line.number)]) for part in parts if part.strip())
        joined: list[_Segment] = []
        for piece in pieces:
            previous = joined[-1] if joined else None
            if previous is not None and self._continues(previous, piece):
                previous.starts.append((len(previous.text), piece.line))
                previous.text += piece.text
            else:
                joined.append(piece)
        return joined

    def _continues(self, previous: _Segment, piece: _Segment) -> bool:
        """A line broken in the middle of a sentence goes on in the next: 004:57-58 "…了解" / "客人的意见与动向…"."""
        if self._structural(previous.text) or self._structural(piece.text):
            return False
        if NUMBERING.match(piece.text) or piece.line == previous.starts[-1][1] or section_label(piece.text):
            return False
        if previous.text.endswith(("(", "/", "、", ",")):
            return True
        return len(previous.text) >= 25 and not previous.text.endswith(TERMINAL) and piece.line == previous.starts[-1][1] + 1

    def _structural(self, text: str) -> bool:
        label = section_label(text)
        return bool(PART_START.match(text) or PART_END.match(text) or (label is not None and not label[1])
                    or rules.SUPERIOR_FIELD.match(strip_numbering(text)) or rules.SUBORDINATE_FIELD.match(strip_numbering(text))
                    or post_heading(text, known=set()))

    # -- reading --

    def read(self) -> ParsedText:
        segments = self.segments()
        for index, segment in enumerate(segments):
            following = segments[index + 1].text if index + 1 < len(segments) else ""
            name = strip_numbering(segment.text)
            if (CHINESE_NUMBERED.match(segment.text) and re.fullmatch(r"[^,;。:、\s]{2,12}", name)
                    and (section_label(following) or ("", ""))[0] == "duty"):
                self.heading("post", name, line=segment.line)  # 001:73 "一、值班经理" then "(一)、岗位职责说明:"
                continue
            self.segment(segment)
        return self.finish()

    def segment(self, segment: _Segment) -> None:
        text = segment.text
        part = PART_START.match(text) or PART_END.match(text)
        if part:
            title = (part[2] if part[2] is not None else part[4]) if part.re is PART_START else part[1]
            self.start_part(title or "", segment.line)
            return
        bracketed = re.match(r"^【([^】]{1,30})】\s*:?\s*(.*)$", strip_numbering(text))
        if bracketed:  # 【客服主管】 / 【岗位职责】 headings
            inner, rest = bracketed[1].strip(), bracketed[2].strip()
            if section_label(inner) is None and post_heading(inner, known=set()) is None \
                    and re.fullmatch(r"[^,;。:、\s]{2,16}", inner) and not inner.endswith(DEPARTMENT_ENDINGS):
                self.heading("post", clean_name(inner), line=segment.line)
            else:
                self.segment(_Segment(segment.line, inner, segment.starts))
            if rest:
                self.segment(_Segment(segment.line, rest, segment.starts))
            return
        bare = strip_numbering(text)
        for pattern, handler in ((rules.SUPERIOR_FIELD, self.superior_field), (rules.SUBORDINATE_FIELD, self.subordinate_field),
                                 (POST_NAME_FIELD, self.post_name_field), (DEPARTMENT_FIELD, self.department_field)):
            match = pattern.match(bare)
            if match:
                handler(match[1].strip(), segment.line)
                return
        label = section_label(text)
        if label:
            self.mode, rest = label
            self.relation_field = None
            if rest:
                self.items(_Segment(segment.line, rest, segment.starts))
            return
        heading = post_heading(text, known=set(self.by_part.get(self.part, {})))
        if heading:
            self.heading(*heading, line=segment.line)
            return
        if HEADING.match(strip_numbering(text)):  # a bare title: 职位说明书, 岗位职责说明书
            return
        if self.mode == "relation" and self.relation_field is not None:
            self.relation_continues(text, segment.line)
            return
        self.items(segment)

    def start_part(self, title: str, line: int) -> None:
        self.part += 1
        self.current = None
        self.mode = "duty"
        self.relation_field = None
        heading = post_heading(title, known=set()) if title else None
        if heading is None and title and rules.looks_like_post(clean_name(title)):
            heading = ("post", clean_name(title))
        if heading:
            self.heading(*heading, line=line, from_title=True)

    def heading(self, kind: str, name: str, *, line: int, from_title: bool = False) -> None:
        self.relation_field = None
        if self.mode in ("skip", "relation", "weights") and not from_title:
            self.mode = "duty" if kind != "post" or self.current is None else self.mode
        if kind == "department":
            if name not in self.departments:
                self.departments.append(name)
            self.current = None
            self.mode = "duty"
            return
        if kind == "group":
            self.current = None
            self.mode = "duty"
            return
        posts = self.by_part.setdefault(self.part, {})
        key = name_key(name)
        if key in posts:
            self.current = posts[key]
            return
        if self.current is not None and self.current.from_title and self.current.empty and not from_title \
                and len(posts) == 1 and self._same_post(self.current.name, name):
            self.rename(self.current, name)  # 科技公司大客户助理职位说明书 then 职位名称:大客户助理
            return
        post = ParsedPost(name=name, line=line, part=self.part, from_title=from_title)
        posts[key] = post
        self.posts.append(post)
        self.current = post

    @staticmethod
    def _same_post(title: str, name: str) -> bool:
        return name_key(name) in name_key(title) or name_key(title) in name_key(name)

    def rename(self, post: ParsedPost, name: str) -> None:
        posts = self.by_part.setdefault(self.part, {})
        posts.pop(name_key(post.name), None)
        post.name = name
        post.from_title = False
        posts[name_key(name)] = post

    def post_name_field(self, name: str, line: int) -> None:
        name = clean_name(name)
        if len(name) < 2:
            return
        current = self.current
        if current is not None and current.from_title and current.empty:
            self.rename(current, name)
            return
        self.heading("post", name, line=line)

    def department_field(self, name: str, line: int) -> None:
        if name and name not in self.departments:
            self.departments.append(name)

    def superior_field(self, value: str, line: int) -> None:
        self.relation_field = "superior"
        names = rules.names_in(value.split(" ")[0]) if value else []
        self.set_superior(names[0] if names else None, line, raw=value)

    def set_superior(self, name: str | None, line: int, *, raw: str = "") -> None:
        post = self.current
        if post is None or (post.from_title and post.empty):
            if name:
                self.part_superior[self.part] = (name, line)
        if post is not None and name:
            post.superior, post.superior_line, post.superior_how = name, line, "field"

    def subordinate_field(self, value: str, line: int) -> None:
        self.relation_field = "subordinates"
        if self.current is not None:
            self.current.subordinates.extend(rules.names_in(value))
        self._subordinate_text = value

    def relation_continues(self, text: str, line: int) -> None:
        """A field broken over two lines: 000:416-417 "…客服主管/" + "副主管"."""
        if self.relation_field == "subordinates" and self.current is not None:
            joined = getattr(self, "_subordinate_text", "") + text
            self._subordinate_text = joined
            self.current.subordinates = rules.names_in(joined)
        elif self.relation_field == "superior" and self.current is not None and self.current.superior:
            names = rules.names_in(self.current.superior + text)
            self.current.superior = names[0] if names else self.current.superior

    def items(self, segment: _Segment) -> None:
        if self.mode in ("skip", "relation"):
            return
        offset = 0
        for piece in SENTENCE_SPLIT.split(segment.text):
            start = segment.text.find(piece, offset) if piece else offset
            offset = max(offset, start + len(piece or ""))
            if not piece or not piece.strip():
                continue
            line = segment.line_at(max(start, 0))
            sentence = strip_numbering(piece.strip())[:MAX_ITEM_CHARS]
            if len(re.findall(f"[{CJK}]", sentence)) < 3:
                continue
            heading = post_heading(piece.strip(), known=set(self.by_part.get(self.part, {})), longest=14)
            if heading and len(piece) <= 40:
                self.heading(*heading, line=line)
                continue
            self.sentence(sentence, line)

    def sentence(self, sentence: str, line: int) -> None:
        post = self.current
        if post is None:
            if self.mode == "duty":
                self.unassigned.append(line)
            return
        source = display(sentence)
        if self.mode == "weights":
            weighted = rules.weighted_kpi(sentence)
            if weighted:
                post.kpis.append(Found(weighted, line, source))
                return
        standards = rules.standards_in(sentence)
        routines = rules.routines_in(sentence)
        kpis = rules.kpis_in(sentence)
        if self.mode == "duty":
            post.duties.append(Found(_duty_text(sentence), line, source))
            if post.superior is None:
                phrase = rules.superior_phrase(sentence)
                if phrase:
                    post.superior, post.superior_line, post.superior_how = phrase, line, "phrase"
        post.standards.extend(Found(s, line, source) for s in standards)
        post.routines.extend(Found(r, line, source) for r in routines)
        for kpi in kpis:
            if not any(_same_kpi(kpi, other.rule) for other in post.kpis):
                post.kpis.append(Found(kpi, line, source))

    # -- the end --

    def finish(self) -> ParsedText:
        kept: list[ParsedPost] = []
        for post in self.posts:
            if post.empty:  # a document's title ("知名物业客户助理职务说明书", 004:1): its 直接上级 is its posts'
                if post.superior and post.part not in self.part_superior:
                    self.part_superior[post.part] = (post.superior, post.superior_line or post.line)
                if not post.from_title:
                    self.warnings.append(_("line %(line)s: '%(post)s' heads no duties; read as a title, not a post.") % {
                        "line": post.line, "post": post.name})
                continue
            if post.superior is None and post.part in self.part_superior:
                post.superior, post.superior_line = self.part_superior[post.part]
                post.superior_how = "part"
            kept.append(post)
        for post in kept:
            self.resolve_superior(post, kept)
        self.break_cycles(kept)
        if self.unassigned:
            self.warnings.append(_("lines %(first)s–%(last)s: %(count)s duty lines name no post (a department's duties?); "
                                   "left out.") % {"first": self.unassigned[0], "last": self.unassigned[-1],
                                                   "count": len(self.unassigned)})
        return ParsedText(kept, self.departments, self.warnings, self.lines)

    def resolve_superior(self, post: ParsedPost, posts: list[ParsedPost]) -> None:
        if not post.superior:
            return
        found = resolve(post.superior, posts, part=post.part)
        if found is None or found is post:
            self.warnings.append(_("line %(line)s: the superior '%(superior)s' of post '%(post)s' is not a post of this "
                                   "text; left empty.") % {"line": post.superior_line, "superior": post.superior,
                                                          "post": post.name})
            return
        post.superior_post = found

    def break_cycles(self, posts: list[ParsedPost]) -> None:
        for post in posts:
            seen = [post]
            above = post.superior_post
            while above is not None and above not in seen:
                seen.append(above)
                above = above.superior_post
            if above is post:
                self.warnings.append(_("line %(line)s: '%(post)s' would report to itself through its superiors; its "
                                       "superior is left empty.") % {"line": post.superior_line, "post": post.name})
                post.superior_post = None


def resolve(name: str, posts: list[ParsedPost], *, part: int) -> ParsedPost | None:
    """The post a superior's name means: the same name (in the same part first); else the one post whose name holds
    the name's characters in order with the fewest others (环境主管 → 环境管理主管, 000:514)."""
    key = name_key(name)
    same = [p for p in posts if name_key(p.name) == key]
    if same:
        return next((p for p in same if p.part == part), same[0])
    candidates = [p for p in posts if _subsequence(key, name_key(p.name)) and len(key) >= 2]
    if not candidates:
        return None
    for scope in ([p for p in candidates if p.part == part], candidates):
        if scope:
            shortest = min(len(p.name) for p in scope)
            best = [p for p in scope if len(p.name) == shortest]
            if len(best) == 1:
                return best[0]
    return None


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _duty_text(sentence: str) -> str:
    return display(sentence)


def _same_kpi(new: rules.KpiRule, old: Any) -> bool:
    if not isinstance(old, rules.KpiRule) or (new.target, new.unit, new.direction) != (old.target, old.unit, old.direction):
        return False
    a, b = name_key(new.name), name_key(old.name)
    return a == b or a.endswith(b) or b.endswith(a)


def parse_text(text: str) -> ParsedText:
    """Read a job description (already decoded) into posts. Never raises for odd text: what it cannot place it
    leaves out, and says so in ``warnings``."""
    return _Reader(split_lines(text)).read()
