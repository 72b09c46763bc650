import re
from typing import Any

from django.db.models import Q, QuerySet

from dutydesk.archive.models import Building, Project, Resident, Unit
from dutydesk.core.lookups import Ids, key_among  # (importing it registers field__any_of)
from dutydesk.core.privacy import mask_email, mask_id_number, mask_name, mask_phone  # noqa: F401 (used by archive's callers)
from dutydesk.org import access
from dutydesk.org.models import PostHolding, units_covered_q


# Lists of units (and of residents by unit): building, floor, number, read in order off one index at any size.
# Buildings come in the order they were created (the archive import creates them in the workbook's order):
# sorting by the building's name would sort every unit of the project before showing 50 (600,000 units: 0.9 s).
UNIT_ORDER = ("building_id", "floor", "number")


def ledger_order(path: str = "unit__") -> tuple[str, str, str]:
    """The order a printed ledger reads units in, through ``path`` to the unit ("" on units themselves): building
    name, floor, then unit number (A-301 before A-1601: unit numbers are text)."""
    return f"{path}building__name", f"{path}floor", f"{path}number"


def in_building_name_order(queryset: QuerySet, project: Project | int, *first: str, path: str = "unit__",
                           many: bool = False) -> QuerySet:
    """``queryset`` (rows of ``project`` that reach their unit through ``path``) ordered by ``first``, then building
    name, floor and unit number, as a printed ledger reads (A-301 before A-1601: unit numbers are text). The
    buildings' project is stated too (the rows belong to it already): PostgreSQL then walks the project's buildings
    by name (their unique index) and each one's units, sorted a building at a time (an incremental sort of its few
    hundred units), and stops at the page, instead of sorting every unit of the project first (600,000 units, a
    month's bills: 457 ms → 5 ms for 50 rows).
    ``many``: the rows are many and the page lies past the first ones; the units' own project is stated as well (a
    unit lies in its building's project), so that PostgreSQL reads the project's units off their (project, building,
    floor) index. Without it, at 40 projects' bills' page 20 (row 950 of a project's 15,200), it sorted the month
    after reading every unit of the group (SQL 98–151 → 6–22 ms). Rows that are few (a project's unpaid bills) are
    read better without it: PostgreSQL, counting on fewer units than there are, then walked every unit of the project
    for them (21–33 → 40–85 ms)."""
    own = {f"{path}project": project} if many else {}
    return queryset.filter(**{f"{path}building__project": project}, **own).order_by(*first, *ledger_order(path))


def floor_unit_ids(user: Any, holdings: list[PostHolding]) -> Ids:
    """The ids of the units on a floor butler's floors, all their holdings' in one indexed query (a butler of 19
    building/floor ranges: 19 statements and 19 arrays OR-ed in every statement of a page before), cached per
    request by the floors themselves (a KPI card's holdings are read apart from the page's, without their keys)."""
    key = tuple(sorted({(holding.project_id, holding.building_id, holding.floor_from, holding.floor_to)
                        for holding in holdings}, key=repr))
    cached = getattr(user, "_dutydesk_floor_units", {})
    if key not in cached:
        cached[key] = Ids(Unit.objects.filter(units_covered_q(holdings)).order_by().values_list("pk", flat=True))
        setattr(user, "_dutydesk_floor_units", cached)  # a cache on the request's user object, not a field
    return cached[key]


def unit_scope_by_ids(user: Any, code: str, unit_path: str = "unit__", own_project: str | None = None) -> Q:
    """``access.unit_scope`` over rows that reach their unit through ``unit_path``, with a floor butler's floors given
    as the ids of their units (``floor_unit_ids``): PostgreSQL reads those units' rows off the rows' unit index and
    sorts them. The floors as building/floor ranges OR-ed let it walk every building of the project looking for
    theirs (a butler of 19 ranges, 3,800 units, 600,000 in the project: their residents page 278 ms for none)."""
    granting = [holding for holding in access.holdings(user) if code in holding.post.permissions]
    floors = [holding for holding in granting if holding.on_floors]
    if not floors or getattr(user, "is_superuser", False):
        return access.unit_scope(user, code, unit_path, own_project)
    return (key_among(unit_path, floor_unit_ids(user, floors))
            | units_covered_q([holding for holding in granting if not holding.on_floors], unit_path, own_project))


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(access.unit_scope(user, "archive.view")).select_related("building", "project")


def residents_visible_to(user: Any) -> QuerySet[Resident]:
    if getattr(user, "is_authenticated", False) and access.holdings(user):  # staff: by the units they may see
        return Resident.objects.filter(unit_scope_by_ids(user, "archive.view")).select_related("unit__building")
    return Resident.objects.filter(access.resident_scope(user, "archive.view")).select_related("unit__building")


def projects_visible_to(user: Any) -> QuerySet[Project]:
    if user.is_superuser:
        return Project.objects.all()
    if access.holdings(user):
        return Project.objects.filter(pk__in=access.project_ids(user))
    return Project.objects.filter(pk__in=Resident.objects.filter(user=user).values("unit__project_id"))


def buildings_visible_to(user: Any) -> QuerySet[Building]:
    return Building.objects.filter(project__in=projects_visible_to(user))


# What a search term may match before it is too vague to list by: the list shows the first of them (type more).
# Each way of matching (name or phone, unit number, unit code) is its own statement on its own indexes (trigram on
# PostgreSQL) and the ids are handed on: one OR across a join could use no index (600,000 units: "A-1201" took
# 2.9 s). Each counts its matches among the viewer's own rows: counted across a group of 400 projects first, the
# first thousand 王 or 1201 were mostly other projects', and a manager found few or none of theirs.
SEARCH_MATCHES = 1000
# A trigram needs three characters: a shorter term is matched by its start (a surname, "张"; the start of a unit
# number or a phone), which the trigram indexes serve (the start is padded: "  张"). "Contains" one character read
# every unit of a 600,000-unit project to find none (145 ms).
SHORT_TERM = 3


def name_q(q: str, field: str = "name") -> Q:
    """A resident's name containing the term, each length by what an index serves: one character by the name's start
    (a surname: 张 finds 张三; no index finds one character anywhere), two by the names' pairs of characters (小明
    finds 王小明: ``resident_name_pairs``), three and more by the trigrams."""
    if len(q) == 1:
        return Q(**{f"{field}__istartswith": q})
    return Q(**{f"{field}__{'contains_pair' if len(q) == 2 else 'icontains'}": q})


def person_q(q: str, prefix: str = "") -> Q:
    """Residents by name (``name_q``) or phone as typed: a phone containing the term, or starting with it when it is
    short."""
    phone = Q(**{f"{prefix}phone__{'startswith' if len(q) < SHORT_TERM else 'contains'}": q})
    return name_q(q, f"{prefix}name") | phone


def unit_number_q(q: str, prefix: str = "") -> Q:
    """Units whose number contains the term, or starts with it when it is short."""
    return Q(**{f"{prefix}number__{'istartswith' if len(q) < SHORT_TERM else 'icontains'}": q})


def _first_ids(rows: QuerySet[Any], condition: Q, field: str = "pk") -> list[int]:
    """The ``field`` of the first ``SEARCH_MATCHES`` of ``rows`` that meet ``condition``, in no order."""
    return list(rows.filter(condition).order_by().values_list(field, flat=True)[:SEARCH_MATCHES])


def search_residents(queryset: QuerySet[Resident], q: str | None) -> QuerySet[Resident]:
    """Name, phone or unit number ("A-1203" or "1203"), matched among ``queryset``."""
    q = (q or "").strip()
    if not q:
        return queryset
    found = _first_ids(queryset, person_q(q)) + _first_ids(queryset, unit_number_q(q, "unit__"))
    if (code := unit_code_q(q, "unit__")) is not None:
        found += _first_ids(queryset, code)
    return queryset.filter(pk__in=found)


def search_units(queryset: QuerySet[Unit], q: str | None) -> QuerySet[Unit]:
    """Unit number, code as typed ("A-120" suggests A-1201…A-1209 as the clerk types), or a resident's name or phone
    (their unit), matched among ``queryset``."""
    q = (q or "").strip()
    if not q:
        return queryset
    found = _first_ids(queryset, unit_number_q(q))
    if (code := unit_code_q(q, partial=True)) is not None:
        found += _first_ids(queryset, code)
    found += _first_ids(Resident.objects.filter(unit__in=queryset.order_by().values("pk")), person_q(q), "unit_id")
    return queryset.filter(pk__in=set(found))


# Unit codes as clerks type them: A-1201, A1201, a-1201, A座1201, A 1201, A栋-1201, 1201 (and prefixes of them).
_UNIT_CODE = re.compile(r"^\s*([A-Za-z]{1,3}|\d{1,2}(?=\s*[座栋幢号楼#-]))\s*[座栋幢号楼#]?\s*[-－ ]?\s*(\d{1,5}[A-Za-z]?)\s*$")


def parse_unit_code(term: str) -> tuple[str, str] | None:
    """``("A", "1201")`` for "A-1201", "a1201", "A座1201"; ``("", "1201")`` for a bare number; None otherwise."""
    term = (term or "").strip()
    if term.isdigit() and 1 <= len(term) <= 5:
        return "", term
    match = _UNIT_CODE.match(term)
    if not match:
        return None
    return match.group(1).upper(), match.group(2).upper()


def unit_code_q(term: str, prefix: str = "", partial: bool = False) -> Q | None:
    """A ``Q`` over units (through ``prefix``, e.g. ``"unit__"``) matching a typed unit code; ``partial`` matches
    the start of the number ("A-120" → A-1201…A-1209), for suggestions. None when the term is not a unit code."""
    parsed = parse_unit_code(term)
    if parsed is None:
        return None
    building, number = parsed
    condition = Q(**{f"{prefix}number__istartswith" if partial else f"{prefix}number__iexact": number})
    if building:
        condition &= Q(**{f"{prefix}building__name__iexact": building})
    return condition


def may_see_identity(user: Any, project_id: int | None) -> bool:
    return access.has_perm(user, "archive.view_identity", project_id)


# A resident's contact details beyond name and phone: only posts whose duties need them (the posts that keep
# the archive, or a post granted archive.view_contacts) read them; the others see them masked.
CONTACT_MASKS = {"emergency_contact": mask_name, "emergency_phone": mask_phone, "email": mask_email}


def may_see_contacts(user: Any, project_id: int | None) -> bool:
    return access.has_perm(user, "archive.view_contacts", project_id)


def masked_contacts(resident: Resident) -> dict[str, str]:
    """The resident's contact fields as a post without archive.view_contacts sees them."""
    return {field: mask(getattr(resident, field)) for field, mask in CONTACT_MASKS.items()}
