"""A draft's posts (what the parser read, as the reviewer edits it) and the catalogue they make.

``draft_posts`` turns a ``ParsedText`` into plain data (stored on the draft, one id per item, each item with its line
and source sentence). ``catalogue_yaml`` writes that data as catalogue YAML (docs/catalog.md) with a ``# line N``
comment above every item, so the reviewer of the YAML sees where each came from too. Codes are made here: post codes
from the pinyin of the name (unique across catalogues: a code another catalogue holds gets the catalogue's code in
front), procedure codes the same way (an existing procedure of the same name is reused), routine and KPI codes from
what they are."""
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from dutydesk.drafts.parser import ParsedText
from dutydesk.drafts.rules import KpiRule, RoutineRule, StandardRule
from dutydesk.drafts.text import name_key, pinyin_slug

NAME_CHARS = 120  # org.models.BilingualName.name
NAME_EN_CHARS = 160
CODE_CHARS = 50  # SlugField default: catalogue, department and procedure codes
POST_CODE_CHARS = 80
UNIT_CHARS = 20
NOTE_CHARS = 300
MAX_TARGET = Decimal("9999999999.99")  # KPI.target: 12 digits, 2 decimals
SCHEDULES = ("daily", "weekly", "monthly", "times_per_week")


def _decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return f"{value.normalize():f}"


def draft_posts(parsed: ParsedText) -> list[dict[str, Any]]:
    """The parser's posts as stored data: keys p1, p2 …; item ids p1-d1 (duty), p1-s1, p1-r1, p1-k1."""
    keys = {id(post): f"p{number}" for number, post in enumerate(parsed.posts, start=1)}
    posts = []
    for post in parsed.posts:
        key = keys[id(post)]
        superior = post.superior_post
        posts.append({
            "key": key, "name": post.name[:NAME_CHARS], "line": post.line, "code": "", "name_en": "",
            "superior_text": post.superior, "superior_line": post.superior_line,
            "superior_key": keys[id(superior)] if superior is not None else None,
            "subordinates": post.subordinates,
            "duties": [{"id": f"{key}-d{n}", "text": found.rule, "line": found.line, "source": found.source}
                       for n, found in enumerate(post.duties, start=1)],
            "standards": [_standard(f"{key}-s{n}", found.rule, found.line, found.source)
                          for n, found in enumerate(post.standards, start=1)],
            "routines": [_routine(f"{key}-r{n}", found.rule, found.line, found.source)
                         for n, found in enumerate(post.routines, start=1)],
            "kpis": [_kpi(f"{key}-k{n}", found.rule, found.line, found.source)
                     for n, found in enumerate(post.kpis, start=1)],
        })
    return posts


def _standard(item_id: str, rule: StandardRule, line: int, source: str) -> dict[str, Any]:
    return {"id": item_id, "text": rule.text, "procedure": rule.procedure[:NAME_CHARS], "limit_minutes": rule.limit_minutes,
            "line": line, "source": source}


def _routine(item_id: str, rule: RoutineRule, line: int, source: str) -> dict[str, Any]:
    return {"id": item_id, "text": _routine_text(rule.text), "schedule": rule.schedule, "at": rule.at or "17:00",
            "weekday": rule.weekday, "day": rule.day, "times": rule.times, "holiday_shift": rule.holiday_shift,
            "defaults": rule.defaults, "line": line, "source": source}


def _routine_text(text: str) -> str:
    return re.sub(r"^(?:负责|确保|应|须|要)", "", text).strip("，。；： ") or text


def _kpi(item_id: str, rule: KpiRule, line: int, source: str) -> dict[str, Any]:
    return {"id": item_id, "name": rule.name[:NAME_CHARS], "target": _decimal_text(min(rule.target, MAX_TARGET)),
            "unit": rule.unit[:UNIT_CHARS], "direction": rule.direction, "weight": _decimal_text(rule.weight),
            "line": line, "source": source}


# -- codes ---------------------------------------------------------------------------------------------------------

def _slug(text: str, fallback: str, limit: int) -> str:
    slug = pinyin_slug(text, limit=limit) or fallback
    if not re.match(r"^[a-z0-9]", slug):
        slug = f"x{slug}"
    return slug[:limit].strip("-")


def _unique(code: str, taken: set[str], limit: int) -> str:
    candidate, number = code, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = code[:limit - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


@dataclass
class Existing:
    """What the database already holds that a draft for catalogue ``code`` must respect."""

    catalogue_posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # name key → code, name_en, permissions, scope
    taken_post_codes: set[str] = field(default_factory=set)  # post codes of other catalogues
    procedures: dict[str, str] = field(default_factory=dict)  # name key → code
    taken_procedure_codes: set[str] = field(default_factory=set)
    department: tuple[str, str, str] | None = None  # (code, name, name_en) of the catalogue's first department


def assign_codes(posts: list[dict[str, Any]], *, catalog: str, existing: Existing) -> None:
    """Give every post a code and an English name: the post of the catalogue with the same name keeps its own
    (publishing updates it); otherwise pinyin, with the catalogue's code in front when another catalogue holds it."""
    taken = set(existing.taken_post_codes)
    used: set[str] = set()
    for number, post in enumerate(posts, start=1):
        known = existing.catalogue_posts.get(name_key(post["name"]))
        if known and known["code"] not in used:
            post["code"], post["name_en"] = known["code"], known["name_en"] or post["name_en"]
            used.add(known["code"])
            continue
        code = _slug(post["name"], f"post-{number}", POST_CODE_CHARS - 10)
        if code in taken:
            code = f"{catalog}-{code}"[:POST_CODE_CHARS - 4]
        post["code"] = _unique(code, taken | used, POST_CODE_CHARS)
        used.add(post["code"])
        post["name_en"] = post["name_en"] or _english(post["name"], number)


def _english(name: str, number: int) -> str:
    """A placeholder English name (the catalogue needs one): the pinyin, each word capitalised; the reviewer may
    write a better one."""
    slug = pinyin_slug(name, limit=NAME_EN_CHARS)
    return " ".join(part.capitalize() for part in slug.split("-")) if slug else f"Post {number}"


# -- the catalogue --------------------------------------------------------------------------------------------------

@dataclass
class Built:
    document: dict[str, Any]
    yaml: str
    warnings: list[str]


def build(posts: list[dict[str, Any]], *, catalog: str, name: str, source: str, department: str,
          existing: Existing) -> Built:
    """The catalogue document and its YAML text. Count-based standards (铃响三声内) have no minutes to time: they stay
    duties and are named in the warnings; KPI weights that do not add up to 100 are dropped with a warning."""
    warnings: list[str] = []
    dept_code, dept_name, dept_name_en = existing.department or ("main", department[:NAME_CHARS], "")
    procedures: dict[str, dict[str, str]] = {}  # name key → {code, name}
    proc_codes = set(existing.taken_procedure_codes)
    by_key = {post["key"]: post for post in posts}
    document_posts = []
    for post in posts:
        superior = by_key.get(post.get("superior_key") or "")
        entry: dict[str, Any] = {
            "code": post["code"], "name": post["name"], "name_en": post["name_en"][:NAME_EN_CHARS] or post["code"],
            "department": dept_code, "superior": superior["code"] if superior else None,
            "permissions": list(existing.catalogue_posts.get(name_key(post["name"]), {}).get("permissions") or ["org.view"]),
            "duties": [duty["text"] for duty in post["duties"]],
            "standards": [], "routines": [], "kpis": [],
        }
        if post.get("superior_key") and superior is None:
            warnings.append(_("Post '%(post)s': its superior was removed; it reports to nobody now.") % {"post": post["name"]})
        seen_procedures: set[str] = set()
        for standard in post["standards"]:
            if not standard.get("limit_minutes"):
                warnings.append(_("line %(line)s: '%(text)s' is counted, not timed; kept as a duty of '%(post)s'.") % {
                    "line": standard["line"], "text": standard["text"], "post": post["name"]})
                if standard["text"] not in entry["duties"]:
                    entry["duties"].append(standard["text"])
                continue
            code = _procedure_code(standard["procedure"], catalog, existing, procedures, proc_codes, seen_procedures)
            seen_procedures.add(code)
            entry["standards"].append({"procedure": code, "limit_minutes": int(standard["limit_minutes"]),
                                       "note": f"line {standard['line']}: {standard['source']}"[:NOTE_CHARS],
                                       "_line": standard["line"]})
        routine_codes: set[str] = set()
        for routine in post["routines"]:
            entry["routines"].extend(_routine_entries(routine, routine_codes))
        kpi_codes: set[str] = set()
        kpis = []
        for kpi in post["kpis"]:
            code = _unique(_slug(kpi["name"], "kpi", 60), kpi_codes, 80)
            item: dict[str, Any] = {"code": code, "name": kpi["name"], "target": kpi["target"], "unit": kpi["unit"],
                                    "direction": kpi["direction"], "source": "manual", "_line": kpi["line"]}
            if kpi.get("weight") is not None:
                item["weight"] = kpi["weight"]
            kpis.append(item)
        weights = [Decimal(k["weight"]) for k in kpis if "weight" in k]
        if weights and (len(weights) != len(kpis) or sum(weights) != 100):
            warnings.append(_("Post '%(post)s': the KPI weights do not add up to 100 over every KPI; weights left "
                              "out.") % {"post": post["name"]})
            for kpi_entry in kpis:
                kpi_entry.pop("weight", None)
        entry["kpis"] = kpis
        document_posts.append(entry)
    document = {
        "catalog": catalog, "name": name[:NAME_CHARS] or catalog, "source": source[:NOTE_CHARS],
        "departments": [{"code": dept_code, "name": dept_name, **({"name_en": dept_name_en} if dept_name_en else {})}],
        "procedures": [{"code": p["code"], "name": p["name"]} for p in procedures.values()],
        "posts": document_posts,
    }
    return Built(_clean(document), _yaml(document, posts), warnings)


def _procedure_code(name: str, catalog: str, existing: Existing, procedures: dict, taken: set[str],
                    seen_in_post: set[str]) -> str:
    """One procedure per name in the file; the name of a procedure the database has keeps its code. A post timing two
    things under one name gets a second procedure ("…（2）"), since a post has one standard per procedure."""
    number = 1
    while True:
        label = name if number == 1 else f"{name}（{number}）"
        lookup = name_key(label)
        if lookup not in procedures:
            code = existing.procedures.get(lookup)
            if code is None:
                code = _unique(f"{catalog}-{_slug(label, 'procedure', CODE_CHARS)}"[:CODE_CHARS - 3].strip("-"), taken,
                               CODE_CHARS)
            procedures[lookup] = {"code": code, "name": label[:NAME_CHARS]}
        code = procedures[lookup]["code"]
        if code not in seen_in_post:
            return code
        number += 1


def _routine_entries(routine: dict[str, Any], codes: set[str]) -> list[dict[str, Any]]:
    schedule = routine["schedule"]
    at = routine.get("at") or "17:00"
    base: dict[str, Any] = {"text": routine["text"], "schedule": schedule, "at": at, "assign": "each",
                            "_line": routine["line"]}
    if schedule == "weekly":
        base["weekday"] = routine.get("weekday") or 5
        code = f"weekly-{base['weekday']}"
    elif schedule == "monthly":
        base["day"] = routine.get("day") or 5
        code = f"monthly-{base['day']}"
    elif schedule == "times_per_week":
        base["times"] = routine.get("times") or 2
        code = f"times-per-week-{base['times']}"
    else:
        code = f"daily-{at.replace(':', '')}"
        times = routine.get("times") or 1
        if times > 1:  # 每日…不少于两次: one task each time, spread over the working day (09:00–17:00)
            entries = []
            for number in range(times):
                minutes = 9 * 60 + (8 * 60 * (number + 1)) // times
                spread_at = f"{minutes // 60:02d}:{minutes % 60:02d}"
                entries.append({**base, "at": spread_at,
                                "code": _unique(f"daily-{times}x-{number + 1}", codes, 80)})
            return entries
    return [{**base, "code": _unique(code, codes, 80)}]


def _clean(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the ``_line`` marks the YAML writer uses."""
    if isinstance(document, dict):
        return {k: _clean(v) for k, v in document.items() if not k.startswith("_")}
    if isinstance(document, list):
        return [_clean(v) for v in document]
    return document


# -- YAML with line comments ---------------------------------------------------------------------------------------

def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return value  # a number kept as text (KPI targets)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _yaml(document: dict[str, Any], posts: list[dict[str, Any]]) -> str:
    out = ["# Catalogue draft (docs/catalog.md) read from job-description text; review it before publishing.",
           "# '# line N' above an item is the line of the text it was read from."]
    for key in ("catalog", "name", "source"):
        out.append(f"{key}: {_scalar(document[key])}")
    out.append("")
    out.append("departments:")
    for dept in document["departments"]:
        out.append(f"  - code: {_scalar(dept['code'])}")
        out.append(f"    name: {_scalar(dept['name'])}")
        if dept.get("name_en"):
            out.append(f"    name_en: {_scalar(dept['name_en'])}")
    out.append("")
    out.append("procedures:" if document["procedures"] else "procedures: []")
    for proc in document["procedures"]:
        out.append(f"  - code: {_scalar(proc['code'])}")
        out.append(f"    name: {_scalar(proc['name'])}")
    out.append("")
    out.append("posts:")
    for entry, post in zip(document["posts"], posts):
        out.append(f"  # line {post['line']}: {post['name']}")
        if post.get("superior_text") and not entry["superior"]:
            out.append(f"  # line {post['superior_line']}: superior '{post['superior_text']}' is not a post of the text")
        for key in ("code", "name", "name_en", "department", "superior"):
            out.append(f"  {'- ' if key == 'code' else '  '}{key}: {_scalar(entry[key])}")
        out.append(f"    permissions: [{', '.join(entry['permissions'])}]")
        out.append("    duties:" if entry["duties"] else "    duties: []")
        lines = {duty["text"]: duty["line"] for duty in post["duties"]}
        for duty in entry["duties"]:
            if duty in lines:
                out.append(f"      # line {lines[duty]}")
            out.append(f"      - {_scalar(duty)}")
        for section, keys in (("standards", ("procedure", "limit_minutes", "note")),
                              ("routines", ("code", "text", "schedule", "at", "weekday", "day", "times", "assign")),
                              ("kpis", ("code", "name", "target", "unit", "direction", "weight", "source"))):
            items = entry[section]
            if not items:
                continue
            out.append(f"    {section}:")
            for item in items:
                out.append(f"      # line {item['_line']}")
                first = True
                for key in keys:
                    if key in item and item[key] is not None:
                        out.append(f"      {'- ' if first else '  '}{key}: {_scalar(item[key])}")
                        first = False
        out.append("")
    return "\n".join(out) + "\n"


def parse_decimal(text: Any) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None
