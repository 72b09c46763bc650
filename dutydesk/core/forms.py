"""Form widgets whose values round-trip whatever the language: an HTML date/time input takes ISO values only
(``2021-11-15``), while Django would render the zh-hans format ``2021/11/15`` — which the browser drops, blanking
the field on the next save."""
from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DecimalInput(forms.NumberInput):
    """A decimal as the browser's number input reads it (``88.50``, never ``88,50`` or ``1,088.50``)."""

    def format_value(self, value: Any) -> str | None:
        return None if value is None or value == "" else str(value)
