"""``field__any_of=[…]``: membership in a list of values sent as one parameter.

On PostgreSQL ``= ANY(%s)`` with the list as one array parameter; Django's ``__in`` sends one parameter per value,
and a floor butler's lists carry their floors' unit ids (hundreds) into every statement of a page: psycopg then
spent more time splitting and quoting those parameters than PostgreSQL spent answering (10M work orders: 140 ms of
a 196 ms page, scripts/bench_tickets.py). Other databases get the plain ``IN (…)``. An empty list matches nothing."""
from typing import Any

from django.db.models import Field, ForeignKey, Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        values = list(self.rhs)
        if all(type(value) is int for value in values):  # ids as the ORM read them (a butler's 3,800 units, five
            return values  # times a page: each through the field's conversion was ~4 ms)
        return [self.lhs.output_field.get_prep_value(value) for value in values]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


Field.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)  # related fields keep their own list of lookups
