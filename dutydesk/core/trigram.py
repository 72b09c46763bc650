"""Trigram (pg_trgm) indexes for the free-text searches, on PostgreSQL only (SQLite has no such index and
needs none at quick-start scale). Django's ``icontains`` compiles to ``UPPER(col) LIKE UPPER(%s)``, so the
case-insensitive columns are indexed as ``UPPER(col)``; ``contains``/``endswith`` as the column itself."""
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def trigram_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """A migration operation creating ``(table, name, expression)`` GIN trigram indexes on PostgreSQL."""
    def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, name, expression in indexes:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)")

    def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for _table, name, _expression in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
