"""A shipped catalogue in a test's database in a few statements instead of about a thousand.

Most tests start from the shipped property-cs catalogue (the ``catalog`` and ``staff`` fixtures). Importing it
writes row by row (``org.catalog.import_catalog``: a lookup and an insert per department, post, duty, standard,
routine, KPI and register, with their history rows), 1–2 s per test, more than half of the suite's time. So the
first import on a test process is real, and every row it wrote, in every table, is kept; the tests after it get
the same rows put back, with the same ids, by one statement per table (``COPY`` on PostgreSQL, a multi-row
INSERT elsewhere).

Only from the same start: no catalogue yet, and either no organisation (the import makes the default one, kept
with the rows) or some (the rows go to the first one, as the import takes it). With a catalogue there already, or
when a kept id is taken, the import is real. ``tests/org/test_catalog_snapshot.py`` checks that both ways leave
the same rows."""
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Catalog, Organisation


@dataclass
class _Table:
    """One table's kept rows, ready to write back: on PostgreSQL the bytes of a ``COPY … TO STDOUT`` of them, for a
    ``COPY … FROM STDIN`` (a long INSERT's placeholders alone took psycopg 60 ms a test to parse); elsewhere a
    multi-row INSERT per batch, its values prepared for the database once."""
    model: type[models.Model]
    ids: list[int]
    columns: str
    copied: bytes
    batches: list[tuple[str, list]]
    width: int  # values per row
    links: list[int]  # the columns that link to the organisation


@dataclass
class _Kept:
    catalog_id: int
    organisation_id: int  # the organisation the rows belong to
    tables: list[_Table]
    taken_sql: str  # one statement: is any kept id taken in any table?
    taken_params: list


# by (catalogue, whether an organisation was there before): with none the import makes the default one, and its
# rows are kept too; with one, the rows are put back into the test's own (the first, as the import takes it)
_kept: dict[tuple[str, bool], _Kept] = {}


def _tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def _fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _import(code: str) -> Catalog:
    return import_catalog(load_shipped(code)).catalog


def _first_organisation_id() -> int | None:
    return Organisation.objects.order_by("id").values_list("id", flat=True).first()


def _table(model: type[models.Model], rows: list[dict]) -> _Table:
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    links = [i for i, field in enumerate(fields) if field.is_relation and field.related_model is Organisation]
    ids = [row[model._meta.pk.attname] for row in rows]
    copied, batches = b"", []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(
                f"COPY (SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} "
                f"= ANY(%s) ORDER BY 1) TO STDOUT", [ids]) as copy:
            copied = b"".join(bytes(block) for block in copy)
    else:
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_batch = max(1, min(connection.ops.bulk_batch_size(fields, rows), 30000 // len(fields)))
        for start in range(0, len(rows), per_batch):
            chunk = rows[start:start + per_batch]
            values = [field.get_db_prep_save(row[field.attname], connection) for row in chunk for field in fields]
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join([one_row] * len(chunk))
            batches.append((sql, values))
    return _Table(model, ids, columns, copied, batches, len(fields), links)


def _keep(catalog_id: int, organisation_id: int, rows_by_table) -> _Kept:
    tables = [_table(model, rows) for model, rows in rows_by_table]
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"  # a list is one parameter there
    taken = " UNION ALL ".join(
        f"SELECT 1 FROM {quote(t.model._meta.db_table)} WHERE {quote(t.model._meta.pk.column)} "
        + ("= ANY(%s)" if postgres else f"IN ({', '.join(['%s'] * len(t.ids))})") for t in tables)
    params = [t.ids for t in tables] if postgres else [pk for t in tables for pk in t.ids]
    return _Kept(catalog_id, organisation_id, tables, f"SELECT EXISTS ({taken})", params)


def _ids_free(kept: _Kept) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(kept.taken_sql, kept.taken_params)
        return not cursor.fetchone()[0]


def _sequences_past_the_kept_ids(tables) -> None:
    """On PostgreSQL the id sequences move on past the rows put back: a ``flush`` (the schema test's demo module
    ends with one) starts them again at 1, and the next row a test makes would take a kept id."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)


def _put_back(kept: _Kept, organisation_id: int | None) -> Catalog:
    """The kept rows, same ids; their links to the organisation of the first import go to ``organisation_id``."""
    moved = organisation_id is not None and organisation_id != kept.organisation_id
    with transaction.atomic(), connection.cursor() as cursor:  # links are checked at COMMIT (a transactional test
        for table in kept.tables:                                # has no outer transaction)
            if connection.vendor == "postgresql":
                data = _moved_copy(table, kept.organisation_id, organisation_id) if moved and table.links \
                    else table.copied
                with cursor.copy(f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({table.columns}) "
                                 "FROM STDIN") as copy:
                    copy.write(data)
                continue
            for sql, values in table.batches:
                if moved and table.links:
                    values = [organisation_id if i % table.width in table.links and value == kept.organisation_id
                              else value for i, value in enumerate(values)]
                cursor.execute(sql, values)
        _sequences_past_the_kept_ids([table.model for table in kept.tables])
    return Catalog.objects.get(pk=kept.catalog_id)


def _moved_copy(table: _Table, old_id: int, new_id: int) -> bytes:
    """COPY's text format, a row a line and a tab between values (a tab in a value is written ``\\t``)."""
    old, new = str(old_id).encode(), str(new_id).encode()
    lines = []
    for line in table.copied.split(b"\n"):
        values = line.split(b"\t")
        for i in table.links:
            if len(values) > i and values[i] == old:
                values[i] = new
        lines.append(b"\t".join(values))
    return b"\n".join(lines)


def shipped_catalog(code: str = "property-cs") -> Catalog:
    """The shipped catalogue ``code`` in the test database, as ``import_catalog(load_shipped(code))`` leaves it."""
    if Catalog.objects.exists():
        return _import(code)
    organisation_id = _first_organisation_id()
    key = (code, organisation_id is not None)
    kept = _kept.get(key)
    if kept is not None:
        return _put_back(kept, organisation_id) if _ids_free(kept) else _import(code)
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    catalog = _import(code)
    written = []
    for model, ids in before.items():
        rows = [row for row in model._base_manager.values(*_fields(model)).order_by("pk")
                if row[model._meta.pk.attname] not in ids]
        if rows:
            written.append((model, rows))
    _kept[key] = _keep(catalog.pk, _first_organisation_id(), written)
    return catalog
