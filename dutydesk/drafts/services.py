"""Writes: make a draft from text, edit or remove what it read, publish it through the normal catalogue import.
The caller (page, API, command) has checked ``org.manage``; these check the input (400) and the draft's state (409)."""
import copy
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.drafts import builder
from dutydesk.drafts.models import CatalogDraft
from dutydesk.drafts.parser import parse_text
from dutydesk.drafts.text import MAX_ITEM_CHARS, TextRefused, check_text, name_key
from dutydesk.org.catalog import SLUG, CatalogInvalid, ImportResult, import_catalog
from dutydesk.org.catalog_yaml import validate_catalog_yaml
from dutydesk.org.models import Catalog, Post, Procedure

SECTIONS = {"d": "duties", "s": "standards", "r": "routines", "k": "kpis"}
ITEM_ID = re.compile(r"^(p\d+)(?:-([dsrk])\d+)?$")


def existing_for(catalog: str) -> builder.Existing:
    """What the database holds that a draft of catalogue ``catalog`` must respect (drafts/builder.py ``Existing``)."""
    existing = builder.Existing()
    current = Catalog.objects.filter(code=catalog).first()
    if current is not None:
        for post in Post.objects.filter(catalog=current).order_by("position", "id"):
            existing.catalogue_posts.setdefault(name_key(post.name), {
                "code": post.code, "name_en": post.name_en, "permissions": list(post.permissions)})
        department = current.departments.order_by("id").first()
        if department is not None:
            existing.department = (department.code, department.name, department.name_en)
    existing.taken_post_codes = set(Post.objects.exclude(catalog__code=catalog).values_list("code", flat=True))
    for code, name in Procedure.objects.values_list("code", "name"):
        existing.procedures.setdefault(name_key(name), code)
        existing.taken_procedure_codes.add(code)
    return existing


def _rebuild(draft: CatalogDraft, parse_warnings: list[str]) -> None:
    """Write the draft's YAML from its posts, and check it passes the catalogue's own validation."""
    built = builder.build(draft.posts, catalog=draft.catalog_code, name=draft.catalog_name,
                          source=_("Catalogue draft #%(id)s from %(source)s") % {
                              "id": draft.pk, "source": draft.source_name or _("pasted text")},
                          department=draft.department or draft.catalog_name, existing=existing_for(draft.catalog_code))
    draft.yaml = built.yaml
    draft.warnings = parse_warnings + built.warnings
    try:
        validate_catalog_yaml(built.yaml)
    except CatalogInvalid as exc:  # an edit the catalogue does not allow (a reporting cycle): say so, publish refuses
        draft.warnings = draft.warnings + [str(error) for error in exc.errors]


@transaction.atomic
def draft_create(*, text: str, user: Any, source_name: str = "", catalog: str = "", name: str = "") -> CatalogDraft:
    """Read ``text`` into a new draft of catalogue ``catalog`` (default: draft-<id>). A text with no post in it is
    refused. When an earlier draft of the same catalogue exists it becomes ``previous`` (the page shows the
    difference); when the catalogue exists, its posts of the same name keep their codes, so publishing updates them."""
    try:
        check_text(text)
    except TextRefused as exc:
        raise BusinessRuleError({"text": [str(exc)]})
    catalog = (catalog or "").strip()
    if catalog and (not SLUG.match(catalog) or len(catalog) > builder.CODE_CHARS):
        raise BusinessRuleError({"catalog": [_("A catalogue code may contain only a-z, 0-9, - and _ (up to 50).")]})
    parsed = parse_text(text)
    if not parsed.posts:
        raise BusinessRuleError({"text": [_("No post was found in the text: give each post a heading such as "
                                            "“客服主管岗位职责” or “岗位名称：客服主管”, with its duties under it.")]})
    draft = CatalogDraft.objects.create(catalog_code=catalog or "draft", catalog_name=(name or "").strip()[:120],
                                        department=(parsed.departments[0] if parsed.departments else "")[:120],
                                        source_name=source_name[:200], source_text=text, created_by=user)
    if not catalog:
        draft.catalog_code = f"draft-{draft.pk}"
    draft.catalog_name = draft.catalog_name or draft.department or _("Catalogue draft #%(id)s") % {"id": draft.pk}
    draft.previous = CatalogDraft.objects.filter(catalog_code=draft.catalog_code).exclude(pk=draft.pk).order_by("-id").first()
    posts = builder.draft_posts(parsed)
    builder.assign_codes(posts, catalog=draft.catalog_code, existing=existing_for(draft.catalog_code))
    draft.posts = posts
    draft.result = {"parse_warnings": parsed.warnings}
    _rebuild(draft, parsed.warnings)
    draft._change_reason = _("read from the text")  # type: ignore[attr-defined]
    draft.save()
    return draft


def _locked(draft: CatalogDraft) -> CatalogDraft:
    locked = CatalogDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.is_published:
        raise StateConflict(_("This draft is published; make a new draft to change the catalogue."))
    return locked


def _find(posts: list[dict[str, Any]], item_id: str) -> tuple[dict[str, Any], str | None, int | None]:
    match = ITEM_ID.match(item_id or "")
    post = next((p for p in posts if match and p["key"] == match[1]), None)
    if post is None:
        raise BusinessRuleError({"item": [_("No such item in this draft.")]})
    if not match or match[2] is None:
        return post, None, None
    section = SECTIONS[match[2]]
    index = next((i for i, item in enumerate(post[section]) if item["id"] == item_id), None)
    if index is None:
        raise BusinessRuleError({"item": [_("No such item in this draft.")]})
    return post, section, index


def _text(values: Mapping[str, Any], key: str, current: Any, *, limit: int = MAX_ITEM_CHARS) -> str:
    if key not in values:
        return current
    text = str(values[key] or "").replace("\x00", "").strip()
    if not text:
        raise BusinessRuleError({key: [_("This field may not be empty.")]})
    if len(text) > limit:
        raise BusinessRuleError({key: [_("At most %(n)s characters.") % {"n": limit}]})
    return text


def _whole(values: Mapping[str, Any], key: str, current: Any, low: int, high: int, *, empty: bool = False) -> Any:
    if key not in values:
        return current
    raw = str(values[key] if values[key] is not None else "").strip()
    if raw == "" and empty:
        return None
    if not re.fullmatch(r"\d{1,6}", raw) or not low <= int(raw) <= high:
        raise BusinessRuleError({key: [_("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]})
    return int(raw)


def _edited(post: dict[str, Any], section: str | None, index: int | None, values: Mapping[str, Any]) -> None:
    """Apply ``values`` to one post or item, each value checked as the catalogue would check it."""
    if section is None:
        post["name"] = _text(values, "name", post["name"], limit=builder.NAME_CHARS)
        post["name_en"] = _text(values, "name_en", post["name_en"], limit=builder.NAME_EN_CHARS)
        return
    assert index is not None
    item = post[section][index]
    if section == "duties":
        item["text"] = _text(values, "text", item["text"])
    elif section == "standards":
        item["procedure"] = _text(values, "procedure", item["procedure"], limit=builder.NAME_CHARS)
        item["limit_minutes"] = _whole(values, "limit_minutes", item["limit_minutes"], 1, 525_600, empty=True)
    elif section == "routines":
        item["text"] = _text(values, "text", item["text"])
        if "schedule" in values:
            if values["schedule"] not in builder.SCHEDULES:
                raise BusinessRuleError({"schedule": [_("Choose daily, weekly, monthly or times_per_week.")]})
            item["schedule"] = values["schedule"]
        if "at" in values:
            at = str(values["at"] or "").strip()
            match = re.fullmatch(r"(\d{1,2}):(\d{2})", at)
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise BusinessRuleError({"at": [_("A time of day HH:MM.")]})
            item["at"] = f"{int(match[1]):02d}:{match[2]}"
        item["weekday"] = _whole(values, "weekday", item.get("weekday"), 1, 7, empty=True)
        item["day"] = _whole(values, "day", item.get("day"), 1, 31, empty=True)
        item["times"] = _whole(values, "times", item.get("times"), 1, 7, empty=True)
        item["defaults"] = [d for d in item.get("defaults") or [] if d not in values]
    elif section == "kpis":
        item["name"] = _text(values, "name", item["name"], limit=builder.NAME_CHARS)
        if "target" in values:
            target = builder.parse_decimal(values["target"])
            if target is None or abs(target) > builder.MAX_TARGET:
                raise BusinessRuleError({"target": [_("A number.")]})
            item["target"] = f"{target.normalize():f}"
        if "unit" in values:
            item["unit"] = str(values["unit"] or "").strip()[:builder.UNIT_CHARS]
        if "direction" in values:
            if values["direction"] not in ("higher", "lower"):
                raise BusinessRuleError({"direction": [_("Choose higher or lower.")]})
            item["direction"] = values["direction"]


@transaction.atomic
def draft_item_update(*, draft: CatalogDraft, item_id: str, values: Mapping[str, Any]) -> CatalogDraft:
    """Edit one post (name) or one of its items; the YAML is written again."""
    draft = _locked(draft)
    posts = copy.deepcopy(draft.posts)
    post, section, index = _find(posts, item_id)
    _edited(post, section, index, values)
    draft.posts = posts
    _rebuild(draft, list(draft.result.get("parse_warnings") or []))
    draft._change_reason = _("edited %(item)s") % {"item": item_id}  # type: ignore[attr-defined]
    draft.save()
    return draft


@transaction.atomic
def draft_item_remove(*, draft: CatalogDraft, item_id: str) -> CatalogDraft:
    """Remove one item, or a whole post (its subordinates then report to nobody, and say so)."""
    draft = _locked(draft)
    posts = copy.deepcopy(draft.posts)
    post, section, index = _find(posts, item_id)
    if section is None:
        if len(posts) == 1:
            raise BusinessRuleError({"item": [_("A catalogue needs at least one post.")]})
        posts.remove(post)
    else:
        assert index is not None
        del post[section][index]
    draft.posts = posts
    _rebuild(draft, list(draft.result.get("parse_warnings") or []))
    draft._change_reason = _("removed %(item)s") % {"item": item_id}  # type: ignore[attr-defined]
    draft.save()
    return draft


@transaction.atomic
def draft_publish(*, draft: CatalogDraft, user: Any) -> ImportResult:
    """Import the draft's YAML through the catalogue import (validated, all or nothing, audited by the catalogue's own
    history); the draft is then published and can no longer change. Invalid → 400 naming the lines."""
    draft = _locked(draft)
    try:
        result = import_catalog(validate_catalog_yaml(draft.yaml))
    except CatalogInvalid as exc:
        raise BusinessRuleError({"catalog": exc.errors})
    draft.status = CatalogDraft.Status.PUBLISHED
    draft.published_at = clock.now()
    draft.published_by = user
    draft.result = {**draft.result, "posts_created": result.posts_created, "posts_updated": result.posts_updated,
                    "catalog": result.catalog.code}
    draft._change_reason = _("published")  # type: ignore[attr-defined]
    draft.save()
    return result

