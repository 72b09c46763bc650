"""Readable audit trail from django-simple-history: who, when, and what changed from → to."""
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from dutydesk.core.privacy import mask_id_number

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def history_rows(obj: Model, limit: int = 50,
                 masked: Mapping[str, Callable[[str], str]] | None = None) -> list[dict[str, Any]]:
    """The object's history, newest first: ``[{at, user, action, changes: [(field, old, new)]}]``.
    ``masked`` maps field names the reader may not see to their mask function."""
    masked = masked or {}
    history = obj.history  # type: ignore[attr-defined]  # django-simple-history adds the manager at class creation
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                if change.field in masked:
                    old, new = masked[change.field](change.old or ""), masked[change.field](change.new or "")
                else:
                    old, new = _display(field, change.old), _display(field, change.new)
                changes.append((getattr(field, "verbose_name", change.field), old or "—", new or "—"))
        rows.append({"at": record.history_date, "user": record.history_user, "action": ACTIONS.get(record.history_type, ""),
                     "reason": record.history_change_reason or "", "changes": changes})
    return rows


# Identity numbers stay masked in every history too (shared/API.md "Auth and limits").
MASKED_FIELDS = {"id_number", "holder_id_number"}


def _display(field: object, value: Any) -> Any:
    if getattr(field, "name", "") in MASKED_FIELDS and value:
        return mask_id_number(str(value))
    if isinstance(value, list | dict):  # a JSON field: its text, never a lookup (a list is not hashable)
        return json.dumps(value, ensure_ascii=False, default=str) if value not in ([], {}) else "—"
    if value in (None, ""):
        return "—"
    related_model = getattr(field, "related_model", None) if getattr(field, "many_to_one", False) else None
    if related_model is not None:
        related = related_model._default_manager.filter(pk=value).first()
        if related is not None:  # a person by name, anything else as it prints
            return (related.get_full_name() if hasattr(related, "get_full_name") else "") or str(related)
        return value
    choices = dict(getattr(field, "flatchoices", []) or [])
    if value in choices:
        return choices[value]
    return value
