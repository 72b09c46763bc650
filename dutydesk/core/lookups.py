"""``field__any_of=[…]``: membership in a list of values sent as one parameter.

On PostgreSQL ``= ANY(%s)`` with the list as one array parameter; Django's ``__in`` sends one parameter per value,
and a floor butler's lists carry their floors' unit ids (hundreds) into every statement of a page: psycopg then
spent more time splitting and quoting those parameters than PostgreSQL spent answering (10M work orders: 140 ms of
a 196 ms page, scripts/bench_tickets.py). Other databases get the plain ``IN (…)``. An empty list matches nothing.

``field__contains_pair="漏水"``: a text containing two characters, off an index of each text's pairs of characters
(``ContainsPair``)."""
from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Field, ForeignKey, Lookup, Q, TextField
from django.db.models.lookups import IContains


class Ids:
    """Row ids as the database gave them, to filter by with ``field__any_of`` in several statements (a floor butler's
    units, in every statement of their page). Not a list, so the ORM passes it on as it is instead of resolving each
    id for each statement; written once as PostgreSQL's array text, so each statement sends one short string instead
    of an array psycopg builds id by id. A butler of 3,800 units: those two cost ~30 ms and ~55 ms of a 524 ms
    home page (its five tab counts and two KPI groupings each carry the list). The array is typed as psycopg types a
    list of ints, ``integer[]`` while the ids fit: typed ``bigint[]`` like the column, PostgreSQL planned a butler's
    return-visit queue as a walk of every resolved work order (26 → 228 ms).

    Deliberately not iterable (read ``values``): Django checks each value of an iterable given to a relation's lookup
    for a model instance of the wrong type, two ``hasattr`` per id per filter (a butler's home page: 45,000 checks,
    ~16 ms)."""

    __slots__ = ("_text", "array_type", "values")

    def __init__(self, values: Iterable[int]) -> None:
        self.values = [int(value) for value in values]
        self._text: str | None = None
        self.array_type = "integer[]" if all(-2**31 <= value < 2**31 for value in self.values) else "bigint[]"

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"Ids({self.values!r})"

    @property
    def array_text(self) -> str:
        if self._text is None:
            self._text = "{" + ",".join(map(str, self.values)) + "}"
        return self._text



class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, Ids):
            return self.rhs
        values = list(self.rhs)
        if all(type(value) is int for value in values):  # ids as the ORM read them (a butler's 3,800 units, five
            return values  # times a page: each through the field's conversion was ~4 ms)
        return [self.lhs.output_field.get_prep_value(value) for value in values]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql" and isinstance(self.rhs, Ids):
            return f"{lhs} = ANY(%s::{self.rhs.array_type})", (*lhs_params, self.rhs.array_text)
        values = self.rhs.values if isinstance(self.rhs, Ids) else list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


Field.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)  # related fields keep their own list of lookups


def key_among(path: str, ids: Ids) -> Q:
    """Rows whose related row (reached through ``path``, e.g. ``"unit__"`` or ``"ticket__unit__"``) is one of ``ids``,
    said on the foreign key itself (``unit_id``: no join for it); ``path`` empty: the row's own key."""
    return Q(**{f"{path.removesuffix('__')}_id__any_of" if path else "pk__any_of": ids})


class ContainsPair(Lookup):  # type: ignore[type-arg]
    """``title__contains_pair="漏水"``: the text contains the two characters, whatever their case. On PostgreSQL read off
    the GIN index of each text's pairs of characters (``core.trigram.pair_indexes``), which a trigram index cannot do
    for two characters; elsewhere ``icontains``. For a term of exactly two characters (the pair itself)."""
    lookup_name = "contains_pair"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor != "postgresql":
            return IContains(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"dutydesk_pairs(UPPER({lhs}::text)) @> ARRAY[UPPER({rhs})]::text[]", (*lhs_params, *rhs_params)


CharField.register_lookup(ContainsPair)
TextField.register_lookup(ContainsPair)
