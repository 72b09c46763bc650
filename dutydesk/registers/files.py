"""Who may read the photos of register entries: whoever sees the entry (the register's writers and readers in
its project). Photos are stored as ``registers/<register code>/<random>.<ext>``."""
from typing import Any

from django.db.models import Q

from dutydesk.core import files
from dutydesk.org.models import Register
from dutydesk.registers import selectors


@files.reader("registers/")
def entry_photo(user: Any, name: str) -> bool:
    parts = name.split("/")
    if len(parts) != 3:
        return False
    register = selectors.registers_for(user).filter(code=parts[1]).first()
    if register is None:
        return False
    holding_photo = Q(pk__in=[])
    for field in register.fields:
        if field["type"] == Register.FieldType.PHOTO:
            holding_photo |= Q(**{f"values__{field['code']}": name})
    return selectors.entries_visible_to(user, register).filter(holding_photo).exists()
