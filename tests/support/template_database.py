"""One migrated database per test pass, copied into each test process.

Migrating the test database costs each test process 55–80 s (Django renders the related model states again at every
CreateModel: some 24,000 renders), and scripts/test runs two processes per pass. So scripts/test migrates once per
pass, into a template, while mypy runs::

    .venv/bin/python -m tests.support.template_database sqlite:////tmp/x/template.sqlite3
    .venv/bin/python -m tests.support.template_database postgres://postgres@127.0.0.1:5432/dutydesk_template

and names it in ``DUTYDESK_TEST_TEMPLATE_DATABASE``. Each test process then makes its test database from the
template instead of migrating (tests/conftest.py, ``django_db_modify_db_settings``): on PostgreSQL ``CREATE DATABASE
… TEMPLATE``, on SQLite the backup API into the in-memory test database, each a fraction of a second. Without the
variable (a plain ``pytest``), or when it names the other kind of database, each process migrates as Django does.
"""
import os
import sqlite3
import sys
import time
from pathlib import Path

ENVIRONMENT_VARIABLE = "DUTYDESK_TEST_TEMPLATE_DATABASE"


def template_url_for(vendor):
    """The template named for this pass, if it is a database of the ``vendor`` the tests run on."""
    url = os.environ.get(ENVIRONMENT_VARIABLE, "")
    kind = "sqlite" if url.startswith("sqlite:") else "postgresql" if url.startswith("postgres") else None
    return url if url and kind == vendor else None


def _database_name(url):
    """The file of a SQLite URL, the database of a PostgreSQL one (read as the settings read DATABASE_URL)."""
    import dj_database_url

    return dj_database_url.parse(url)["NAME"]


def sqlite_path(url):
    return Path(_database_name(url))


def make_test_databases_from(connection, template_url):
    """Have Django's test set-up for ``connection`` copy ``template_url`` instead of migrating."""
    creation = connection.creation

    def create_test_db(verbosity=1, autoclobber=False, serialize=None, keepdb=False):
        from django.conf import settings
        from django.core.management import call_command

        name = creation._get_test_db_name()
        if connection.vendor == "postgresql":
            _copy_postgres_template(creation, name, _database_name(template_url))
        else:
            name = creation._create_test_db(verbosity, autoclobber=True, keepdb=False)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(sqlite_path(template_url))
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        call_command("createcachetable", database=connection.alias)
        connection.ensure_connection()
        return name

    creation.create_test_db = create_test_db


def _copy_postgres_template(creation, name, template):
    quote = creation.connection.ops.quote_name
    for attempt in range(20):
        try:
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
            return
        except Exception as error:  # the other test process copying the same template at the same moment
            if "being accessed by other users" not in str(error) or attempt == 19:
                raise
            time.sleep(0.5)


def build(url):
    """Migrate a new database at ``url`` (an existing one is dropped first) with the test settings."""
    drop(url)
    if url.startswith("postgres"):
        with _admin_connection(url) as admin:
            admin.execute(f'CREATE DATABASE "{_database_name(url)}"')
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.db import connections

    connections.close_all()  # nothing may stay connected to a PostgreSQL template; SQLite folds its WAL back in


def drop(url):
    if url.startswith("postgres"):
        with _admin_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)')
    else:
        sqlite_path(url).unlink(missing_ok=True)


def _admin_connection(url):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    if sys.argv[1:2] == ["--drop"]:
        drop(sys.argv[2])
    else:
        build(sys.argv[1])
