"""Trigram (pg_trgm) indexes for the free-text searches, on PostgreSQL only (SQLite has no such index and
needs none at quick-start scale). Django's ``icontains`` compiles to ``UPPER(col) LIKE UPPER(%s)``, so the
case-insensitive columns are indexed as ``UPPER(col)``; ``contains``/``endswith`` as the column itself.

A trigram needs three characters, and the commonest Chinese search words have two (漏水, 电梯, 噪音): "contains" two
characters could use no index and read every row (1M work orders: 1.1 s). ``pair_indexes`` index each text's pairs of
characters (``dutydesk_pairs``), which ``field__contains_pair`` (core/lookups.py) searches. A term's start ("张%") the
trigram indexes serve already (the start of a text is padded)."""
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


# each pair of neighbouring characters of a text, for a GIN index (IMMUTABLE: it may index an expression); GIN keeps
# each key once, so the pairs are not made distinct here (4.1 µs a title instead of 6.6 µs with DISTINCT, which
# the index build and every recheck of a lossy page pay)
PAIRS_FUNCTION = """CREATE OR REPLACE FUNCTION dutydesk_pairs(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
    $$ SELECT array(SELECT substr(value, i, 2) FROM generate_series(1, length(value) - 1) AS i) $$"""


def trigram_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """A migration operation creating ``(table, name, expression)`` GIN trigram indexes on PostgreSQL."""
    return _postgres_indexes(indexes, "USING gin ({expression} gin_trgm_ops)", "CREATE EXTENSION IF NOT EXISTS pg_trgm")


def pair_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """A migration operation creating ``(table, name, expression)`` GIN indexes of the expression's pairs of
    characters on PostgreSQL (the expression as ``field__contains_pair`` writes it: ``UPPER(col::text)``)."""
    return _postgres_indexes(indexes, "USING gin (dutydesk_pairs({expression}))", PAIRS_FUNCTION)


def _concurrently(schema_editor: BaseDatabaseSchemaEditor) -> str:
    """``CONCURRENTLY`` (after a space) outside a transaction, a migration with ``atomic = False``: the table stays
    writable while its index is built or dropped. Inside one (the older migrations), nothing: PostgreSQL refuses it."""
    return "" if schema_editor.connection.in_atomic_block else " CONCURRENTLY"


def _postgres_indexes(indexes: tuple[tuple[str, str, str], ...], method: str, first: str) -> migrations.RunPython:
    def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(first)
        online = _concurrently(schema_editor)
        for table, name, expression in indexes:
            schema_editor.execute(f"CREATE INDEX{online} IF NOT EXISTS {name} ON {table} "
                                  f"{method.format(expression=expression)}")

    def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        online = _concurrently(schema_editor)
        for _table, name, _expression in indexes:
            schema_editor.execute(f"DROP INDEX{online} IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
