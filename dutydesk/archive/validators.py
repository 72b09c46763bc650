"""Validators for the resident archive: PRC resident ID (GB 11643 checksum) and phone numbers."""
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def validate_prc_id(value: str) -> None:
    """An 18-character PRC resident ID: 17 digits, a valid birth date and the check character."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a digit or X."), code="id_format")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this resident ID number is not a real date."), code="id_birth")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this resident ID number is wrong."), code="id_checksum")


def validate_phone(value: str) -> None:
    """An 11-digit mainland mobile number, or a landline with area code (0755-12345678)."""
    value = (value or "").strip()
    if not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline with area code, e.g. 0755-12345678."), code="phone"
        )
