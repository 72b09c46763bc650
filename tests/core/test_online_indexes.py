"""Index migrations on the big tables build their indexes CONCURRENTLY on PostgreSQL, so a deploy at a group's
scale does not stop the desks writing work orders and residents while it runs (a plain CREATE INDEX on 10^7 work
orders holds every write for 9 to 80 s); on SQLite they are plain index operations."""
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db(transaction=True)  # CONCURRENTLY refuses to run inside a transaction


def test_the_work_orders_index_is_built_before_the_old_one_goes_and_neither_holds_writes():
    out = io.StringIO()
    call_command("sqlmigrate", "tickets", "0016", stdout=out)
    sql = out.getvalue()
    assert sql.index("ticket_kind_created_closed") < sql.index("ticket_project_kind_created")  # never without one
    if connection.vendor == "postgresql":
        assert 'CREATE INDEX CONCURRENTLY "ticket_kind_created_closed"' in sql
        assert 'DROP INDEX CONCURRENTLY IF EXISTS "ticket_project_kind_created"' in sql
        assert "BEGIN" not in sql  # not one transaction: CONCURRENTLY could not run in it
    else:
        assert "CONCURRENTLY" not in sql and 'CREATE INDEX "ticket_kind_created_closed"' in sql


def test_the_residents_name_pairs_are_indexed_without_holding_writes():
    migration = MigrationLoader(connection).get_migration("archive", "0008_resident_name_pairs")
    assert migration.atomic is False
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        migration.operations[0].code(apps, editor)
    sql = "\n".join(editor.collected_sql)
    if connection.vendor == "postgresql":
        assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS resident_name_pairs ON archive_resident" in sql
    else:
        assert sql == ""  # SQLite: no such index, and none needed at the quick start's scale


@pytest.mark.parametrize("migration", ["0017", "0018", "0019"])
def test_the_later_work_order_indexes_are_built_and_dropped_online_too(migration):
    """My cases by due (0017), the group-wide lists (0018), the newest-first index dropped again (0019): each CREATE
    and DROP INDEX on 10^7 work orders is concurrent on PostgreSQL."""
    out = io.StringIO()
    call_command("sqlmigrate", "tickets", migration, stdout=out)
    changes = [line for line in out.getvalue().splitlines() if line.startswith(("CREATE INDEX", "DROP INDEX"))]
    assert changes
    if connection.vendor == "postgresql":
        assert all(line.startswith(("CREATE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY")) for line in changes)

