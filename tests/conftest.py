import os
import shutil
import sqlite3
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dutydesk.core.drf import token_expired
from tests.factories import BuildingFactory, ProjectFactory, ResidentFactory, UnitFactory, UserFactory
from tests.support import template_database
from tests.support.catalog_snapshot import shipped_catalog

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """When scripts/test has migrated a template for this pass, the test database is a copy of it
    (tests/support/template_database.py): migrating it here cost each test process 55–80 s."""
    connection = connections["default"]
    template_url = template_database.template_url_for(connection.vendor)
    if template_url:
        template_database.make_test_databases_from(connection, template_url)


@pytest.fixture(scope="session", autouse=True)
def _test_database_copied_while_fresh(request, tmp_path_factory):
    """On SQLite, the test database as migrations left it, copied to a file before the first test of the process
    (SQLite's backup API, a fraction of a second), when the run has tests that start real processes on a database
    file (``migrated_sqlite``). Migrating a file for them took 40 s of each test process."""
    # the backup test's scratch_database_url asks for migrated_sqlite on SQLite only, so it is named here too
    wanted = any({"migrated_sqlite", "scratch_database_url"} & set(getattr(item, "fixturenames", ()))
                 for item in request.session.items)
    if not wanted or connections["default"].vendor != "sqlite" or template_database.template_url_for("sqlite"):
        return None
    request.getfixturevalue("django_db_setup")
    path = tmp_path_factory.mktemp("fresh") / "template.sqlite3"
    with request.getfixturevalue("django_db_blocker").unblock():
        connection = connections["default"]
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return path


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory, _test_database_copied_while_fresh):
    if _test_database_copied_while_fresh is not None:
        return _test_database_copied_while_fresh
    if template_url := template_database.template_url_for("sqlite"):
        return template_database.sqlite_path(template_url)
    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(path.parent)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-m", "dutydesk", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   timeout=600, cwd=Path(__file__).resolve().parents[1])
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template):
    """``migrated_sqlite(path)`` puts a freshly migrated SQLite database file at ``path`` (migrated once per test
    process and copied: the tests that start real processes need a database, not the time to migrate it)."""
    def copy_to(path):
        shutil.copyfile(_migrated_sqlite_template, path)
        return path
    return copy_to


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Rows written by data migrations (default ticket categories and SLA policies) are part of every database. A
    flush empties them too: the one that ends a transactional test, or the one that ends a module whose module-scoped
    data was committed (the page crawl, the schema tests). Put them back, committed, once that teardown is done, for
    the tests that come after it on the same worker (checking before every test cost a query or two each, and
    reloading them inside each later test's own transaction 90 ms each)."""
    yield
    if nextitem is None:  # no test comes after on this worker, and the test database is already gone
        return
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return  # the test database may not even be set up yet
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db", "live_server"} & names
    module_ends = nextitem.module is not item.module
    if not (transactional or module_ends):
        return
    from django.apps import apps

    from dutydesk.tickets.models import SLAPolicy, TicketCategory

    with item.config.stash[_blocker_key].unblock():
        if not (TicketCategory.objects.filter(project=None).exists() and SLAPolicy.objects.filter(project=None).exists()):
            import_module("dutydesk.tickets.migrations.0002_default_categories_and_sla").load(apps, None)


_blocker_key = pytest.StashKey()


@pytest.fixture(scope="session", autouse=True)
def _keep_the_database_blocker(request, django_db_blocker):
    request.config.stash[_blocker_key] = django_db_blocker


@pytest.fixture
def catalog(db):
    """The shipped property-cs catalogue (seeds/000_d44081c6db2527f0.txt:382 篇18 + seeds/004_418914185ea837fa.txt)."""
    return shipped_catalog("property-cs")


@pytest.fixture
def project(db):
    return ProjectFactory(code="sunshine", name="阳光花园")


@pytest.fixture
def building(project):
    return BuildingFactory(project=project, name="A")


@pytest.fixture
def other_building(project):
    return BuildingFactory(project=project, name="B")


@pytest.fixture
def unit(building):
    return UnitFactory(building=building, floor=12, number="1201")


@pytest.fixture
def resident(unit):
    return ResidentFactory(unit=unit, name="张三", phone="13912345678")


STAFF_POSTS = {"manager": "cs-manager", "supervisor": "cs-supervisor", "frontdesk": "frontdesk-assistant",
               "archivist": "archivist", "visitordesk": "visitor-desk", "cardclerk": "ic-card-clerk",
               "engineer": "repair-technician", "butler": "floor-butler"}


@pytest.fixture
def staff(catalog, project, building):
    """One user per demo post, holding it in ``project`` (the butler: building A floors 1–15). The users and their
    holdings (with the holdings' history) are written in bulk: a row at a time it was 60 statements, 0.1 s of each
    of about a thousand tests."""
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from dutydesk.org import access
    from dutydesk.org.models import Post, PostHolding

    existing = {user.username: user for user in get_user_model().objects.filter(username__in=STAFF_POSTS)}
    new = [UserFactory.build(username=name) for name in STAFF_POSTS if name not in existing]
    get_user_model().objects.bulk_create(new)
    users = {**existing, **{user.username: user for user in new}}
    posts = Post.objects.in_bulk(set(STAFF_POSTS.values()), field_name="code")
    butler_floors = {"building": building, "floor_from": 1, "floor_to": 15}
    bulk_create_with_history([PostHolding(user=users[name], post=posts[code], project=project,
                                          **(butler_floors if name == "butler" else {}))
                              for name, code in STAFF_POSTS.items()], PostHolding)
    for user in users.values():
        access.forget(user)
    return {name: users[name] for name in STAFF_POSTS}


@pytest.fixture
def resident_user(resident):
    user = UserFactory(username="resident")
    resident.user = user
    resident.save()
    return user


def api_client_for(user=None, language=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        if token_expired(token):  # made earlier under time travel: a clerk would log in again
            token.delete()
            token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    if language:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def api():
    """``api(user)`` -> an APIClient that sends the user's Bearer token."""
    return api_client_for


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server):
    """A Playwright page in Debian's headless Chromium (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
        # ORM calls made inside the Playwright block run in another greenlet context and so get their own
        # connection; close them here, or PostgreSQL refuses to drop the test database ("being accessed by
        # other users").
        connections.close_all()


def login(page, username, password="pw"):
    page.goto(f"{page.base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium (the ``page`` fixture) is a ``browser`` test, marked or not."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
