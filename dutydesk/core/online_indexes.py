"""Index migrations that do not stop the work orders being written while a large table is indexed.

A plain ``CREATE INDEX`` holds off every write to its table until it ends: at 10^7 work orders an index takes 9 to
80 s to build, and for that long no desk could take or close a work order. On PostgreSQL ``AddIndexOnline`` and
``RemoveIndexOnline`` build and drop indexes ``CONCURRENTLY`` (Django's own operations, which need a migration with
``atomic = False``); on SQLite, the quick start's database, which knows no such thing and needs none at its scale,
they are plain ``AddIndex`` and ``RemoveIndex``. A concurrent build that fails (a duplicate, a cancelled deploy)
leaves an INVALID index behind: drop it (``DROP INDEX CONCURRENTLY name``) before migrating again."""
from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations.operations import AddIndex, RemoveIndex


class _OnlineWherePossible:
    """Django's concurrent operation (the next class of the MRO) on PostgreSQL, ``plain`` on any other database."""

    plain: Any  # AddIndex or RemoveIndex

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)  # type: ignore[misc]
        else:
            self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)  # type: ignore[misc]
        else:
            self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexOnline(_OnlineWherePossible, AddIndexConcurrently):
    """``AddIndex``, built ``CONCURRENTLY`` on PostgreSQL (the migration: ``atomic = False``)."""

    plain = AddIndex


class RemoveIndexOnline(_OnlineWherePossible, RemoveIndexConcurrently):
    """``RemoveIndex``, dropped ``CONCURRENTLY`` on PostgreSQL (the migration: ``atomic = False``)."""

    plain = RemoveIndex
