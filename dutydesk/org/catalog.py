"""Post catalogues (docs/catalog.md), in three steps:

1. A catalogue **document** is the mapping docs/catalog.md describes (``catalog``, ``name``, ``departments``,
   ``procedures``, ``posts`` ...). It is read from YAML (``catalog_yaml.catalog_from_yaml``) or built in Python
   (an importer that turns job descriptions into posts).
2. ``validate_catalog(document)`` checks every rule at once and returns a ``ValidCatalog``, or raises
   ``CatalogInvalid`` listing every problem where it is: ``line 18: ...`` when the document was read from YAML,
   ``posts[1].superior: ...`` when it was built in Python.
3. ``import_catalog(valid_catalog)`` writes it in one transaction and takes nothing else. Importing the same
   catalogue again changes nothing: rows are matched by code and saved only when a value differs.

YAML text in one call: ``catalog_yaml.import_catalog_yaml(text)``; a shipped catalogue: ``catalog_yaml.load_shipped``.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from dutydesk.core.permissions import all_permissions
from dutydesk.org.kpis import is_known as is_known_kpi_source
from dutydesk.org.models import (KPI, Catalog, Department, Duty, Organisation, Post, Procedure, Register, Routine,
                                 Standard)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class CatalogInvalid(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# -- 1. The document ------------------------------------------------------------------------------------------


class DocumentMapping(dict):
    """One mapping of a catalogue document that knows where it stands, so a problem can be shown there:
    read from YAML it knows its line and the line of each key; otherwise its path (``posts[1]``)."""

    def __init__(self, items=(), *, path: str = "", line: int | None = None, key_lines: dict | None = None):
        super().__init__(items)
        self.path = path
        self.line = line
        self.key_lines = key_lines or {}

    def problem_at(self, key, problem: str) -> str:
        """``problem`` prefixed with where ``key`` of this mapping is (the mapping itself when the key is absent)."""
        if self.line is not None:
            return _("line %(line)s: %(problem)s") % {"line": self.key_lines.get(key, self.line), "problem": problem}
        return _("%(path)s: %(problem)s") % {"path": _path(self.path, key), "problem": problem}


def _path(path: str, key) -> str:
    """``posts[1]`` + ``superior`` → ``posts[1].superior`` (list positions, ``[1]``, count from 0)."""
    return f"{path}.{key}" if path else str(key)


def _located_copy(value, path: str, copied: dict):
    """A copy of ``value`` whose mappings are DocumentMappings (a mapping read from YAML keeps its lines).
    Validation and import work on this copy, so changing the caller's document afterwards changes nothing.
    A part used twice (a YAML alias) is copied once, so the copy is never bigger than what was parsed; a
    part built in Python and used twice is located by its first path."""
    if id(value) in copied:
        return copied[id(value)]
    if isinstance(value, Mapping):
        if isinstance(value, DocumentMapping):
            copy = DocumentMapping(path=path, line=value.line, key_lines=value.key_lines)
        else:
            copy = DocumentMapping(path=path)
        copied[id(value)] = copy
        for key, item in value.items():
            copy[key] = _located_copy(item, _path(path, key), copied)
        return copy
    if isinstance(value, list):
        items: list[Any] = []
        copied[id(value)] = items
        items.extend(_located_copy(item, f"{path}[{index}]", copied) for index, item in enumerate(value))
        return items
    return value


# -- 2. Validation ---------------------------------------------------------------------------------------------

_MADE_BY_VALIDATE_CATALOG = object()


@dataclass(frozen=True)
class ValidCatalog:
    """A catalogue document that passed ``validate_catalog``, the only thing ``import_catalog`` takes.
    ``document`` is validation's own copy: read it, do not change it. ``source_hash`` fingerprints the
    text it was read from (empty for a document built in Python)."""

    document: DocumentMapping
    source_hash: str = ""
    _made_by: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self._made_by is not _MADE_BY_VALIDATE_CATALOG:
            raise TypeError("a ValidCatalog comes from validate_catalog(document), not from its constructor")


def validate_catalog(document: Mapping[str, Any], *, source_hash: str = "") -> ValidCatalog:
    """Check ``document`` against every rule of docs/catalog.md, including that its post codes are not taken
    by another catalogue. Returns a ValidCatalog or raises CatalogInvalid with every problem found."""
    if not isinstance(document, Mapping):
        raise CatalogInvalid([_("a catalogue must be a mapping with catalog, name, departments and posts")])
    doc = _located_copy(document, "", {})
    errors = _Validator(doc).run() + _post_codes_of_other_catalogues(doc) + _register_codes_of_other_catalogues(doc)
    if errors:
        raise CatalogInvalid(errors)
    return ValidCatalog(doc, source_hash, _made_by=_MADE_BY_VALIDATE_CATALOG)


def _post_codes_of_other_catalogues(doc: DocumentMapping) -> list[str]:
    """Post codes are unique across catalogues: a post of another catalogue is never taken over."""
    listed = doc.get("posts")
    posts = listed if isinstance(listed, list) else []
    taken = dict(Post.objects.filter(code__in=[str(p.get("code")) for p in posts if isinstance(p, dict)])
                 .exclude(catalog__code=str(doc.get("catalog"))).values_list("code", "catalog__code"))
    return [post.problem_at("code", _("duplicate post code '%(code)s': already used by catalogue '%(other)s'") % {
                "code": post.get("code"), "other": taken[str(post.get("code"))]})
            for post in posts if isinstance(post, DocumentMapping) and str(post.get("code")) in taken]


def _register_codes_of_other_catalogues(doc: DocumentMapping) -> list[str]:
    """Register codes are unique across catalogues too (they are the API's ``/registers/{code}/``)."""
    listed = doc.get("registers")
    registers = [r for r in listed if isinstance(r, DocumentMapping)] if isinstance(listed, list) else []
    taken = dict(Register.objects.filter(code__in=[str(r.get("code")) for r in registers])
                 .exclude(catalog__code=str(doc.get("catalog"))).values_list("code", "catalog__code"))
    return [r.problem_at("code", _("duplicate register code '%(code)s': already used by catalogue '%(other)s'") % {
                "code": r.get("code"), "other": taken[str(r.get("code"))]})
            for r in registers if str(r.get("code")) in taken]


class _Validator:
    """Every rule of docs/catalog.md on one document; ``run`` returns all the problems, not the first."""

    def __init__(self, doc):
        self.doc = doc
        self.errors = []

    def error(self, node, field, message, **params):
        self.errors.append(node.problem_at(field, message % params if params else message))

    def require(self, node, key, kind=str):
        value = node.get(key)
        if value is None or (kind is str and not str(value).strip()):
            self.error(node, key, _("'%(key)s' is required"), key=key)
            return None
        if kind is list and not isinstance(value, list):
            self.error(node, key, _("'%(key)s' must be a list"), key=key)
            return None
        if kind is str and isinstance(value, list | dict):
            self.error(node, key, _("'%(key)s' must be a text"), key=key)
            return None
        return value

    def items(self, node, key):
        value = node.get(key) or []
        if not isinstance(value, list):
            self.error(node, key, _("'%(key)s' must be a list"), key=key)
            return []
        good = []
        for item in value:
            if isinstance(item, DocumentMapping):
                good.append(item)
            else:
                self.error(node, key, _("every entry of '%(key)s' must be a mapping"), key=key)
        return good

    def unique(self, entries, what, scope_node, key):
        seen = set()
        for entry in entries:
            code = entry.get("code")
            if code is None:
                self.error(entry, "code", _("'%(key)s' is required"), key="code")
                continue
            code = str(code)
            if not SLUG.match(code):
                self.error(entry, "code", _("%(what)s code '%(code)s' may contain only a-z, 0-9, - and _"), what=what, code=code)
            if code in seen:
                self.error(entry, "code", _("duplicate %(what)s code '%(code)s'"), what=what, code=code)
            seen.add(code)
        return seen

    def run(self):
        doc = self.doc
        code = self.require(doc, "catalog")
        if code is not None and not SLUG.match(str(code)):
            self.error(doc, "catalog", _("catalogue code '%(code)s' may contain only a-z, 0-9, - and _"), code=code)
        self.require(doc, "name")
        departments = self.items(doc, "departments")
        if not departments:
            self.error(doc, "departments", _("at least one department is required"))
        dept_codes = self.unique(departments, _("department"), doc, "departments")
        for dept in departments:
            self.require(dept, "name")
        procedures = self.items(doc, "procedures")
        proc_codes = self.unique(procedures, _("procedure"), doc, "procedures")
        for proc in procedures:
            self.require(proc, "name")
        posts = self.items(doc, "posts")
        if not posts:
            self.error(doc, "posts", _("at least one post is required"))
        post_codes = self.unique(posts, _("post"), doc, "posts")
        self.registers = self.check_registers(doc, post_codes, proc_codes, posts)
        known_permissions = all_permissions()
        for post in posts:
            self.require(post, "name")
            self.require(post, "name_en")
            dept = post.get("department")
            if dept is None:
                self.error(post, "department", _("'%(key)s' is required"), key="department")
            elif str(dept) not in dept_codes:
                self.error(post, "department", _("unknown department '%(code)s'"), code=dept)
            superior = post.get("superior")
            if superior is not None and str(superior) not in post_codes:
                self.error(post, "superior", _("unknown superior '%(code)s' of post '%(post)s'"),
                           code=superior, post=post.get("code"))
            if post.get("scope", "project") not in Post.Scope.values:
                self.error(post, "scope", _("scope must be one of: %(choices)s"), choices=", ".join(Post.Scope.values))
            perms = post.get("permissions") or []
            if not isinstance(perms, list):
                self.error(post, "permissions", _("'%(key)s' must be a list"), key="permissions")
                perms = []
            for perm in perms:
                if not isinstance(perm, str) or perm not in known_permissions:
                    self.error(post, "permissions", _("unknown permission '%(code)s'"), code=perm)
            self.check_duties(post, [p for p in perms if isinstance(p, str)])
            self.check_standards(post, proc_codes)
            self.check_routines(post)
            self.check_kpis(post)
        self.check_cycles(posts)
        return self.errors

    def check_duties(self, post, permissions):
        """A duty is a text, or {text, by: [kind:ref, ...]} naming what executes it (docs/catalog.md "Duty
        coverage"): a routine, KPI or standard (procedure) of the post, a register of the file, or a module — a
        permission code the post holds (a duty done in a module the post cannot open is not done)."""
        duties = post.get("duties") or []
        if not isinstance(duties, list):
            self.error(post, "duties", _("duties must be a list of non-empty texts"))
            return
        known = {
            "routine": {str(r.get("code")) for r in _mappings(post.get("routines"))},
            "kpi": {str(k.get("code")) for k in _mappings(post.get("kpis"))},
            "standard": {str(s.get("procedure")) for s in _mappings(post.get("standards"))},
            "register": set(self.registers),
            "module": set(permissions),
        }
        for duty in duties:
            if isinstance(duty, str) and duty.strip():
                continue
            if not isinstance(duty, DocumentMapping):
                self.error(post, "duties", _("duties must be a list of non-empty texts"))
                continue
            if not isinstance(duty.get("text"), str) or not duty["text"].strip():
                self.error(duty, "text", _("'%(key)s' is required"), key="text")
            refs = duty.get("by")
            if not isinstance(refs, list) or not refs:
                self.error(duty, "by", _("'by' must be a list such as [routine:daily-check, register:visits]"))
                continue
            for ref in refs:
                kind, _sep, code = str(ref).partition(":")
                if kind not in known:
                    self.error(duty, "by", _("'%(ref)s': the kind must be one of routine, register, module, kpi, "
                                             "standard"), ref=ref)
                elif code not in known[kind]:
                    message = (_("'%(ref)s': the post does not hold the permission '%(code)s'") if kind == "module"
                               else _("'%(ref)s': no such %(kind)s of this post or file"))
                    self.error(duty, "by", message, ref=ref, code=code, kind=kind)

    def check_standards(self, post, proc_codes):
        seen = set()
        for standard in self.items(post, "standards"):
            proc = standard.get("procedure")
            proc = None if proc is None else str(proc)
            if proc is None:
                self.error(standard, "procedure", _("'%(key)s' is required"), key="procedure")
            elif proc not in proc_codes:
                self.error(standard, "procedure", _("unknown procedure '%(code)s'"), code=proc)
            elif proc in seen:
                self.error(standard, "procedure", _("duplicate standard for procedure '%(code)s'"), code=proc)
            seen.add(proc)
            limit = standard.get("limit_minutes")
            if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
                self.error(standard, "limit_minutes", _("limit_minutes must be a positive whole number of minutes"))

    def check_routines(self, post):
        routines = self.items(post, "routines")
        self.unique(routines, _("routine"), post, "routines")
        for routine in routines:
            self.require(routine, "text")
            schedule = routine.get("schedule")
            if not isinstance(schedule, str) or schedule not in Routine.Schedule.values:
                self.error(routine, "schedule", _("schedule must be one of: %(choices)s"),
                           choices=", ".join(Routine.Schedule.values))
            if _parse_time(routine.get("at", "17:00")) is None:
                self.error(routine, "at", _("'at' must be a time of day HH:MM"))
            needs = {"weekly": ("weekday", 1, 7), "monthly": ("day", 1, 31),
                     "every_n_days": ("every", 1, 366), "times_per_week": ("times", 1, 7)}
            if isinstance(schedule, str) and schedule in needs:
                key, low, high = needs[schedule]
                value = routine.get(key)
                if not isinstance(value, int) or not low <= value <= high:
                    self.error(routine, key, _("'%(key)s' must be a whole number from %(low)s to %(high)s"),
                               key=key, low=low, high=high)
            if routine.get("assign", "each") not in Routine.Assign.values:
                self.error(routine, "assign", _("assign must be one of: %(choices)s"),
                           choices=", ".join(Routine.Assign.values))

    def check_kpis(self, post):
        kpis = self.items(post, "kpis")
        self.unique(kpis, _("KPI"), post, "kpis")
        weights = []
        for kpi in kpis:
            self.require(kpi, "name")
            if _decimal(kpi.get("target")) is None:
                self.error(kpi, "target", _("target must be a number"))
            if kpi.get("direction", "higher") not in KPI.Direction.values:
                self.error(kpi, "direction", _("direction must be higher or lower"))
            source = kpi.get("source", "manual")
            if not isinstance(source, str) or not is_known_kpi_source(source):  # registered by the apps' kpis.py
                self.error(kpi, "source", _("unknown KPI source '%(code)s'"), code=kpi.get("source"))
            elif source == "register":
                self.check_register_kpi(kpi)
            if kpi.get("weight") is not None:
                weight = _decimal(kpi.get("weight"))
                if weight is None or weight < 0:
                    self.error(kpi, "weight", _("weight must be a number of at least 0"))
                else:
                    weights.append(weight)
        if weights and (len(weights) != len(kpis) or sum(weights) != 100):
            self.error(post, "kpis", _("KPI weights of post '%(post)s' sum to %(total)s, not 100 (give every KPI a weight, or none)"),
                       post=post.get("code"), total=_fmt(sum(weights)))

    # -- registers (docs/catalog.md "Registers") --

    def check_registers(self, doc, post_codes, proc_codes, posts):
        """Check the ``registers`` of the file; returns {code: register mapping} for the KPIs that read them."""
        registers = self.items(doc, "registers")
        codes = self.unique(registers, _("register"), doc, "registers")
        standards = {(str(p.get("code")), str(s.get("procedure"))): s.get("limit_minutes")
                     for p in posts if isinstance(p.get("standards"), list)
                     for s in p["standards"] if isinstance(s, Mapping)}
        for register in registers:
            self.require(register, "name")
            self.require(register, "name_en")
            writers = self.post_list(register, "writers", post_codes)
            if not writers and isinstance(register.get("writers"), list | type(None)):
                self.error(register, "writers", _("a register needs at least one post in 'writers'"))
            self.post_list(register, "readers", post_codes)
            prefix = register.get("number_prefix")
            if prefix is not None and not re.fullmatch(r"[A-Za-z0-9-]{1,12}", str(prefix)):
                self.error(register, "number_prefix", _("number_prefix may be up to 12 letters, digits or -"))
            self.check_register_timing(register, proc_codes, writers, standards)
            fields = self.check_fields(register)
            self.check_follow_ups(register, fields, post_codes)
            self.check_portal(register, fields)
        return {str(r.get("code")): r for r in registers if str(r.get("code")) in codes}

    def post_list(self, node, key, post_codes):
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(node, key, _("'%(key)s' must be a list"), key=key)
            return []
        for code in value:
            if str(code) not in post_codes:
                self.error(node, key, _("unknown post '%(code)s'"), code=code)
        return [str(code) for code in value if str(code) in post_codes]

    def check_register_timing(self, register, proc_codes, writers, standards):
        limit = register.get("limit_minutes")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0):
            self.error(register, "limit_minutes", _("limit_minutes must be a positive whole number of minutes"))
        procedure = register.get("procedure")
        if procedure is None:
            return
        if str(procedure) not in proc_codes:
            self.error(register, "procedure", _("unknown procedure '%(code)s'"), code=procedure)
        elif limit is None and not any(standards.get((writer, str(procedure))) for writer in writers):
            self.error(register, "procedure", _("give limit_minutes, or a standard for procedure '%(code)s' to a "
                                                "post that writes the register"), code=procedure)

    def check_fields(self, register):
        fields = self.items(register, "fields")
        if not fields and isinstance(register.get("fields"), list | type(None)):
            self.error(register, "fields", _("a register needs at least one field"))
        codes = self.unique(fields, _("field"), register, "fields")
        types = {}
        for field_node in fields:
            self.require(field_node, "name")
            kind = field_node.get("type")
            if not isinstance(kind, str) or kind not in Register.FieldType.values:
                self.error(field_node, "type", _("type must be one of: %(choices)s"),
                           choices=", ".join(Register.FieldType.values))
                continue
            types[str(field_node.get("code"))] = kind
            if not isinstance(field_node.get("required", False), bool):
                self.error(field_node, "required", _("required must be true or false"))
            choices = field_node.get("choices")
            if kind == Register.FieldType.CHOICE:
                if not isinstance(choices, list) or not choices:
                    self.error(field_node, "choices", _("a choice field needs a list of choices"))
                elif len({_choice(c)["code"] for c in choices}) != len(choices) or not all(
                        _choice(c)["code"] and _choice(c)["name"] for c in choices):
                    self.error(field_node, "choices", _("choices must be distinct, each a text or a mapping with "
                                                        "code and name"))
            elif choices is not None:
                self.error(field_node, "choices", _("only a choice field has choices"))
        return {code: types.get(code) for code in codes}

    def check_follow_ups(self, register, fields, post_codes):
        for follow_up in self.items(register, "follow_ups"):
            self.require(follow_up, "title")
            post = follow_up.get("post")
            if post is None or str(post) not in post_codes:
                self.error(follow_up, "post", _("unknown post '%(code)s'"), code=post)
            dues = [key for key in ("due_minutes", "due_hours", "due_working_days") if follow_up.get(key) is not None]
            if len(dues) != 1:
                self.error(follow_up, "due_minutes", _("give exactly one of due_minutes, due_hours, due_working_days"))
            elif not isinstance(follow_up[dues[0]], int) or isinstance(follow_up[dues[0]], bool) or follow_up[dues[0]] <= 0:
                self.error(follow_up, dues[0], _("'%(key)s' must be a positive whole number"), key=dues[0])
            when = follow_up.get("when")
            if when is None:
                continue
            if not isinstance(when, Mapping) or str(when.get("field")) not in fields:
                self.error(follow_up, "when", _("'when' must name a field of the register"))
                continue
            tests = [key for key in ("equals", "in", "at_least") if key in when]
            if len(tests) != 1:
                self.error(follow_up, "when", _("'when' takes exactly one of equals, in, at_least"))
            elif tests[0] == "at_least" and (fields[str(when["field"])] not in ("number", "money")
                                             or _decimal(when["at_least"]) is None):
                self.error(follow_up, "when", _("at_least needs a number field and a number"))
            elif tests[0] == "in" and not isinstance(when["in"], list):
                self.error(follow_up, "when", _("'in' must be a list"))

    def check_portal(self, register, fields):
        """``portal: {title, body, from, until, when}``: which fields make the notice residents see, and while when."""
        portal = register.get("portal")
        if portal is None:
            return
        if not isinstance(portal, Mapping):
            self.error(register, "portal", _("'portal' must be a mapping with title, from (and body, until, when)"))
            return
        wanted = {"title": ("text", True), "body": ("text", False), "from": ("date", True), "until": ("date", False)}
        for key, (kind, required) in wanted.items():
            code = portal.get(key)
            if code is None and not required:
                continue
            if fields.get(str(code)) != kind:
                self.error(register, "portal", _("portal %(key)s must name a %(kind)s field of the register"),
                           key=key, kind=kind)
        unknown = set(portal) - set(wanted) - {"when"}
        if unknown:
            self.error(register, "portal", _("portal takes title, body, from, until and when, not %(keys)s"),
                       keys=", ".join(sorted(map(str, unknown))))
        when = portal.get("when")
        if when is not None and (not isinstance(when, Mapping) or str(when.get("field")) not in fields
                                 or len([k for k in ("equals", "in") if k in when]) != 1):
            self.error(register, "portal", _("portal when must name a field and one of equals, in"))

    def check_register_kpi(self, kpi):
        register = self.registers.get(str(kpi.get("register")))
        if register is None:
            self.error(kpi, "register", _("a KPI with source register needs 'register', a register of this file"))
            return
        measure = str(kpi.get("measure") or "")
        kind, _sep, field_code = measure.partition(":")
        if measure in ("count", "on_time_rate"):
            if measure == "on_time_rate" and register.get("limit_minutes") is None and register.get("procedure") is None:
                self.error(kpi, "measure", _("on_time_rate needs a register with a time standard"))
            return
        if kind in ("sum", "avg"):
            field_types = {str(f.get("code")): f.get("type") for f in register.get("fields") or []
                           if isinstance(f, Mapping)}
            if field_types.get(field_code) in ("number", "money"):
                return
        self.error(kpi, "measure", _("measure must be count, on_time_rate, sum:<field> or avg:<field> (a number "
                                     "or money field of the register)"))

    def check_cycles(self, posts):
        superior_of = {str(p.get("code")): str(p.get("superior")) for p in posts if p.get("superior") is not None}
        by_code = {str(p.get("code")): p for p in posts}
        reported = set()
        for start in superior_of:
            path, code = [], start
            while code in superior_of and code not in path:
                path.append(code)
                code = superior_of[code]
            if code in path:
                cycle = path[path.index(code):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    self.error(by_code[cycle[0]], "superior", _("reporting cycle: %(cycle)s"),
                               cycle=" → ".join(cycle + [cycle[0]]))


def _mappings(value) -> list:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _choice(value) -> dict:
    """A choice as the catalogue gives it (a text, or {code, name, name_en}) as a mapping."""
    if isinstance(value, Mapping):
        return {"code": str(value.get("code") or "").strip(), "name": str(value.get("name") or "").strip(),
                "name_en": str(value.get("name_en") or "").strip()}
    return {"code": str(value).strip(), "name": str(value).strip(), "name_en": ""}


def _parse_time(value):
    if isinstance(value, int):  # YAML 1.1 reads 17:00 unquoted as sexagesimal minutes
        return time(value // 60, value % 60) if 0 <= value < 24 * 60 else None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _decimal(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _fmt(number):
    return f"{number.normalize():f}"


# -- 3. Import ---------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    catalog: Catalog
    posts_created: int = 0
    posts_updated: int = 0
    changed: list[str] = field(default_factory=list)
    registers_changed: list[str] = field(default_factory=list)


@transaction.atomic
def import_catalog(catalog: ValidCatalog, *, organisation: Organisation | None = None) -> ImportResult:
    """Write a validated catalogue. All or nothing; the same catalogue twice changes nothing.

    Only a ValidCatalog is accepted, so every way into the database (YAML upload, shipped file, an importer
    that builds documents) passes the same rules. The one rule that depends on the database (post codes of
    other catalogues) is checked again here, in the writing transaction, since the database may have changed
    since validation."""
    if not isinstance(catalog, ValidCatalog):
        raise TypeError(f"import_catalog takes what validate_catalog returns, not {type(catalog).__name__}")
    doc = catalog.document
    errors = _post_codes_of_other_catalogues(doc) + _register_codes_of_other_catalogues(doc)
    if errors:
        raise CatalogInvalid(errors)
    organisation = organisation or Organisation.objects.order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(code="default", name="默认组织", name_en="Default organisation")
    catalog_row, _created, _changed = _sync(Catalog, {"code": str(doc["catalog"])}, {
        "name": str(doc["name"]), "name_en": str(doc.get("name_en") or ""), "source": str(doc.get("source") or ""),
        "content_hash": catalog.source_hash,
    })
    result = ImportResult(catalog=catalog_row)
    departments = {}
    for dept in doc["departments"]:
        departments[str(dept["code"])], *_ = _sync(Department, {"catalog": catalog_row, "code": str(dept["code"])}, {
            "organisation": organisation, "name": str(dept["name"]), "name_en": str(dept.get("name_en") or "")})
    procedures = {}
    for proc in doc.get("procedures") or []:
        procedures[str(proc["code"])], *_ = _sync(Procedure, {"code": str(proc["code"])}, {
            "name": str(proc["name"]), "name_en": str(proc.get("name_en") or "")})
    posts = {}
    for position, entry in enumerate(doc["posts"]):
        post, created, changed = _sync(Post, {"code": str(entry["code"])}, {
            "catalog": catalog_row, "department": departments[str(entry["department"])],
            "name": str(entry["name"]), "name_en": str(entry.get("name_en") or ""),
            "scope": entry.get("scope", Post.Scope.PROJECT), "permissions": list(entry.get("permissions") or []),
            "position": position,
        })
        posts[post.code] = (post, created, changed)
    registers, registers_changed = _sync_registers(catalog_row, doc, {code: post for code, (post, *_r) in posts.items()},
                                                   procedures)
    for entry in doc["posts"]:
        post, created, changed = posts[str(entry["code"])]
        superior = posts[str(entry["superior"])][0] if entry.get("superior") is not None else None
        if post.superior_id != getattr(superior, "pk", None):
            post.superior = superior
            post.save(update_fields=["superior"])
            changed = True
        changed |= _sync_duties(post, [_duty(duty, entry, registers, procedures) for duty in entry.get("duties") or []])
        changed |= _sync_children(Standard, "post", post, "procedure", {
            procedures[str(s["procedure"])]: {"limit_minutes": int(s["limit_minutes"]), "note": str(s.get("note") or "")}
            for s in entry.get("standards") or []})
        changed |= _sync_children(Routine, "post", post, "code", {
            str(r["code"]): {
                "text": str(r["text"]).strip(), "text_en": str(r.get("text_en") or "").strip(),
                "schedule": r["schedule"], "at": _parse_time(r.get("at", "17:00")),
                "weekday": r.get("weekday"), "day": r.get("day"), "every": r.get("every"), "times": r.get("times"),
                "assign": r.get("assign", Routine.Assign.EACH),
            } for r in entry.get("routines") or []})
        changed |= _sync_children(KPI, "post", post, "code", {
            str(k["code"]): {
                "name": str(k["name"]), "name_en": str(k.get("name_en") or ""),
                "target": _decimal(k["target"]).quantize(Decimal("0.01")), "unit": str(k.get("unit") or ""),
                "direction": k.get("direction", KPI.Direction.HIGHER),
                "weight": _decimal(k["weight"]).quantize(Decimal("0.01")) if k.get("weight") is not None else None,
                "source": k.get("source", "manual"),
                "register": registers.get(str(k.get("register"))) if k.get("source") == "register" else None,
                "measure": str(k.get("measure") or "") if k.get("source") == "register" else "",
            } for k in entry.get("kpis") or []})
        if created:
            result.posts_created += 1
        elif changed:
            result.posts_updated += 1
            result.changed.append(post.code)
    result.registers_changed = registers_changed
    return result


def _sync_registers(catalog_row, doc, posts, procedures):
    """Make the catalogue's registers equal the file's. A register dropped from the file is deleted, or, when the
    registers app keeps entries of it (they protect it), kept for reading with no post left to write it."""
    registers = {}
    changed = []
    for position, entry in enumerate(doc.get("registers") or []):
        code = str(entry["code"])
        procedure = procedures.get(str(entry["procedure"])) if entry.get("procedure") is not None else None
        writers = [str(c) for c in entry.get("writers") or []]
        limit = entry.get("limit_minutes")
        if limit is None and procedure is not None:  # the writers' own standard for the procedure (the strictest)
            limit = min(int(s["limit_minutes"]) for w in doc["posts"] if str(w["code"]) in writers
                        for s in w.get("standards") or [] if str(s["procedure"]) == str(entry["procedure"]))
        register, created, updated = _sync(Register, {"code": code}, {
            "catalog": catalog_row, "name": str(entry["name"]), "name_en": str(entry.get("name_en") or ""),
            "number_prefix": str(entry.get("number_prefix") or ""), "procedure": procedure, "limit_minutes": limit,
            "fields": [_field(f) for f in entry.get("fields") or []],
            "follow_ups": [_follow_up(f) for f in entry.get("follow_ups") or []],
            "portal": {str(key): (dict(value) if isinstance(value, Mapping) else str(value))
                       for key, value in (entry.get("portal") or {}).items()},
            "position": position,
        })
        for relation, codes in (("writers", writers), ("readers", [str(c) for c in entry.get("readers") or []])):
            wanted = {posts[c].pk for c in codes}
            manager = getattr(register, relation)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(wanted)
                updated = True
        if created or updated:
            changed.append(code)
        registers[code] = register
    for stale in Register.objects.filter(catalog=catalog_row).exclude(code__in=list(registers)):
        try:
            with transaction.atomic():
                stale.delete()
        except ProtectedError:
            stale.writers.clear()
        changed.append(stale.code)
    return registers, changed


def _field(node) -> dict:
    kind = str(node["type"])
    field_def: dict[str, Any] = {"code": str(node["code"]), "name": str(node["name"]), "name_en": str(node.get("name_en") or ""),
                 "type": kind, "required": bool(node.get("required", False))}
    if kind == Register.FieldType.CHOICE:
        field_def["choices"] = [_choice(c) for c in node["choices"]]
    return field_def


def _follow_up(node) -> dict:
    follow_up: dict[str, Any] = {"post": str(node["post"]), "title": str(node["title"]),
                                 "title_en": str(node.get("title_en") or "")}
    if node.get("due_working_days") is not None:
        follow_up["due_working_days"] = int(node["due_working_days"])
    else:
        follow_up["due_minutes"] = int(node.get("due_minutes") or 0) or int(node["due_hours"]) * 60
    when = node.get("when")
    if when is not None:
        follow_up["when"] = {key: (str(value) if key == "field" else value) for key, value in dict(when).items()}
    return follow_up


def _sync(model, lookup, values):
    """Create or update one row; save only what differs. Returns (obj, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def _sync_children(model, parent_field, parent, key_field, rows):
    """Make a post's standards/routines/KPIs equal ``rows`` (a dict key -> values)."""
    changed = False
    existing = {getattr(obj, key_field): obj for obj in model.objects.filter(**{parent_field: parent})}
    for key, values in rows.items():
        _obj, created, updated = _sync(model, {parent_field: parent, key_field: key}, values)
        changed |= created or updated
    stale = [obj.pk for key, obj in existing.items() if key not in rows]
    if stale:
        model.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def _duty(node, post_entry, registers, procedures) -> tuple[str, list[dict]]:
    """(text, executed_by) of one duty of the file, with the names of what executes it (shown without a query)."""
    if isinstance(node, str):
        return node.strip(), []
    named: dict[str, dict[str, tuple[str, str]]] = {
        "routine": {str(r["code"]): (str(r["text"]), str(r.get("text_en") or "")) for r in post_entry.get("routines") or []},
        "kpi": {str(k["code"]): (str(k["name"]), str(k.get("name_en") or "")) for k in post_entry.get("kpis") or []},
        "standard": {code: (procedure.name, procedure.name_en) for code, procedure in procedures.items()},
        "register": {code: (register.name, register.name_en) for code, register in registers.items()},
    }
    executed_by = []
    for ref in node["by"]:
        kind, _sep, code = str(ref).partition(":")
        name, name_en = named.get(kind, {}).get(code, (code, ""))
        executed_by.append({"kind": kind, "ref": code, "name": name, "name_en": name_en})
    return str(node["text"]).strip(), executed_by


def _sync_duties(post, duties):
    """Make the post's duties equal ``duties`` [(text, executed_by)], in order (a duty has no code to match by)."""
    current = [(text, executed_by) for text, executed_by in post.duties.values_list("text", "executed_by")]
    if current == duties:
        return False
    post.duties.all().delete()
    Duty.objects.bulk_create([Duty(post=post, position=i, text=text, executed_by=executed_by)
                              for i, (text, executed_by) in enumerate(duties)])
    return True
