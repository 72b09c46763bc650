"""The API's list filters as django-filter ``FilterSet``s (each app's ``filters.py``, applied by the
``DjangoFilterBackend`` of settings.REST_FRAMEWORK), with the filter types the house's query parameters need.

The parameters keep the leniency of the first wave: an id that is not a number is ignored (``?unit=abc`` lists
everything in scope), unless the filter names an ``error``, which becomes the API's 400 ``{"errors": {name:
[error]}}`` (the backend turns an invalid filter form into a ``ValidationError``). A flag is on for ``1``, ``true``
or ``yes`` in any case and ignored otherwise; ``?status=a,b`` is one value or several."""
import re
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

_UNSIGNED = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")
TRUE = frozenset({"1", "true", "yes"})


def as_int(value: Any, *, signed: bool = False) -> int | None:
    """``value`` as an int when it is written as one in ASCII digits (``-`` first when ``signed``), else None."""
    text = "" if value is None else str(value)
    return int(text) if (_SIGNED if signed else _UNSIGNED).fullmatch(text) else None


class IntParamField(forms.Field):
    """An integer query parameter: empty → None; not a number → ``error`` (a 400), or None without one."""

    def __init__(self, *, error: str | None = None, signed: bool = False, **kwargs: Any) -> None:
        self.error, self.signed = error, signed
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = as_int(value, signed=self.signed)
        if number is None and self.error is not None:
            raise forms.ValidationError(self.error, code="invalid")
        return number


@extend_schema_field(OpenApiTypes.INT)
class IntFilter(django_filters.Filter):
    """``?name=<id>`` → ``field_name=<id>``; ``error=`` makes a non-number a 400, ``signed=`` allows ``-1``."""

    field_class = IntParamField


class ListFilter(django_filters.CharFilter):
    """``?status=new,dispatched`` → ``status__in=["new", "dispatched"]``."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{f"{self.field_name}__in": value.split(",")}) if value else qs


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.CharFilter):
    """``?inside=true`` → ``apply(queryset)``; any other value leaves the list as it is."""

    def __init__(self, apply: Callable[[QuerySet], QuerySet], **kwargs: Any) -> None:
        self.apply = apply
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return self.apply(qs) if str(value).lower() in TRUE else qs
