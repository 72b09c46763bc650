"""The typed fields of a register (docs/catalog.md "Registers"): what a value may be, and how it is kept.

``clean_values(register, project, raw, files)`` checks every field at once and returns the values to store, or
raises ``BusinessRuleError`` keyed ``values.<field code>`` (shared/API.md "Registers"). The API sends JSON values,
a page sends form text: both come here, so a value means the same whichever way it came."""
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.selectors import unit_code_q
from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.i18n import bilingual
from dutydesk.core.money import money_text, to_cents, to_decimal
from dutydesk.core.uploads import upload_problem
from dutydesk.org.models import Register

MAX_TEXT = 1000
TRUE = {"true", "1", "yes", "on", "是", "y"}
FALSE = {"false", "0", "no", "off", "否", "n", ""}


@dataclass
class Cleaned:
    values: dict[str, Any]
    unit: Unit | None  # the first unit field's unit (the entry's unit)


class _Invalid(Exception):
    pass


def clean_values(register: Register, project: Project, raw: Any, files: Mapping[str, UploadedFile] | None = None) -> Cleaned:
    """The values of one entry, checked against the register's fields; every problem at once."""
    if not isinstance(raw, Mapping):
        raise BusinessRuleError({"values": [_("values must be a mapping of field codes to values.")]})
    files = files or {}
    errors: dict[str, list[str]] = {}
    known = {field["code"] for field in register.fields}
    for code in raw:
        if code not in known:
            errors[f"values.{code}"] = [_("This register has no field '%(code)s'.") % {"code": code}]
    values: dict[str, Any] = {}
    unit = None
    photos = []
    for field in register.fields:
        code, kind = field["code"], field["type"]
        value = files.get(code) if kind == Register.FieldType.PHOTO and code in files else raw.get(code)
        if _empty(value) and not (kind == Register.FieldType.BOOLEAN and value is False):
            if field.get("required"):
                errors[f"values.{code}"] = [_("This field is required.")]
            continue
        try:
            cleaned = _clean(field, value, project)
        except _Invalid as problem:
            errors[f"values.{code}"] = [str(problem)]
            continue
        if kind == Register.FieldType.UNIT:
            unit = unit or cleaned
            cleaned = cleaned.pk
        elif kind == Register.FieldType.RESIDENT:
            cleaned = cleaned.pk
        elif kind == Register.FieldType.PHOTO:
            photos.append((code, cleaned))
            continue
        values[code] = cleaned
    if errors:
        raise BusinessRuleError(errors)
    for code, upload in photos:  # stored only once every value is good
        values[code] = _store_photo(register, upload)
    return Cleaned(values, unit)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _clean(field: dict, value: Any, project: Project) -> Any:
    kind = field["type"]
    if kind == Register.FieldType.TEXT:
        if isinstance(value, Mapping | list | bool):
            raise _Invalid(_("Enter a text."))
        text = str(value).strip()
        if len(text) > MAX_TEXT or "\x00" in text:
            raise _Invalid(_("A text may be at most %(n)s characters.") % {"n": MAX_TEXT})
        return text
    if kind == Register.FieldType.NUMBER:
        number = None if isinstance(value, bool | Mapping | list) else to_decimal(value)
        if number is None or not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise _Invalid(_("Enter a number."))
        return format(number.normalize(), "f")
    if kind == Register.FieldType.MONEY:
        amount = None if isinstance(value, bool | Mapping | list) else to_cents(value)
        if amount is None or abs(amount) >= Decimal("1e13"):
            raise _Invalid(_("Enter an amount such as 120.00."))
        return money_text(amount)
    if kind == Register.FieldType.DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _Invalid(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == Register.FieldType.DATETIME:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise _Invalid(_("Enter a date and time such as 2026-11-26T09:30+08:00.")) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return timezone.localtime(moment).isoformat()
    if kind == Register.FieldType.CHOICE:
        choices = {choice["code"] for choice in field.get("choices") or []}
        if str(value).strip() not in choices:
            raise _Invalid(_("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(choices))})
        return str(value).strip()
    if kind == Register.FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE or text in FALSE:
            return text in TRUE
        raise _Invalid(_("Enter yes or no."))
    if kind == Register.FieldType.UNIT:
        return _unit(value, project)
    if kind == Register.FieldType.RESIDENT:
        return _resident(value, project)
    if kind == Register.FieldType.PHOTO:
        if not isinstance(value, UploadedFile):
            raise _Invalid(_("Send the photo as a file (multipart/form-data)."))
        problem = upload_problem(value, images_only=True)
        if problem:
            raise _Invalid(problem)
        return value
    raise _Invalid(_("Unknown field type."))


def _unit(value: Any, project: Project) -> Unit:
    """A unit of the project by id or by its code as people write it (A-1201)."""
    units = Unit.objects.filter(project=project).select_related("building")
    found = None
    if isinstance(value, int) and not isinstance(value, bool):
        found = units.filter(pk=value).first()
    elif isinstance(value, str):
        condition = unit_code_q(value)
        found = units.filter(condition).first() if condition is not None else None
    if found is None:
        raise _Invalid(_("No such unit in this project (write it as A-1201)."))
    return found


def _resident(value: Any, project: Project) -> Resident:
    """A resident of the project by id, or by phone number when it names one resident."""
    residents = Resident.objects.filter(unit__project=project)
    found = None
    if isinstance(value, int) and not isinstance(value, bool):
        found = residents.filter(pk=value).first()
    elif isinstance(value, str) and value.strip().isdigit():
        text = value.strip()
        matches = list(residents.filter(phone=text)[:2]) or (list(residents.filter(pk=int(text))[:1])
                                                               if len(text) < 10 else [])
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise _Invalid(_("No such resident in this project (give the resident's id or phone number)."))
    return found


def _store_photo(register: Register, upload: UploadedFile) -> str:
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else "jpg"
    extension = extension if extension.isalnum() and len(extension) <= 5 else "jpg"
    return default_storage.save(f"registers/{register.code}/{uuid.uuid4().hex}.{extension}", upload)


def display(field: dict, value: Any, labels: Mapping[tuple[str, Any], str] | None = None) -> str:
    """A stored value as a page or a spreadsheet shows it (``labels``: unit/resident names looked up in bulk)."""
    if value is None or value == "":
        return ""
    kind = field["type"]
    if kind == Register.FieldType.CHOICE:
        for choice in field.get("choices") or []:
            if choice["code"] == value:
                return bilingual(choice["name"], choice.get("name_en"))
    if kind == Register.FieldType.BOOLEAN:
        return _("yes") if value else _("no")
    if kind in (Register.FieldType.UNIT, Register.FieldType.RESIDENT) and labels is not None:
        return labels.get((kind, value), str(value))
    if kind == Register.FieldType.DATETIME:
        try:
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return str(value)
    return str(value)


def field_name(field: dict) -> str:
    return bilingual(field["name"], field.get("name_en"))
