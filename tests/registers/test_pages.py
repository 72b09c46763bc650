"""The register pages: the form generated from the fields, errors beside the field, finish, export, scope."""
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dutydesk.registers.models import Entry
from tests.conftest import login
from tests.registers.test_registers import SHANGHAI, record, spa  # noqa: F401  (the spa fixture)


@pytest.fixture
def reception_client(client, spa):  # noqa: F811
    client.force_login(spa[2]["reception"])
    return client


def test_the_form_has_an_input_per_field_and_keeps_errors_beside_them(spa, reception_client):  # noqa: F811
    project, _other, _people = spa
    url = f"/registers/spa-reception-log/new?project={project.pk}"
    form = reception_client.get(url).content.decode()
    for name in ["values.room", "values.guests", "values.amount", "values.vip", "values.note"]:
        assert f'name="{name}"' in form
    response = reception_client.post(url, {"project": project.pk, "values.room": "1", "values.guests": "很多",
                                           "values.note": "靠窗"})
    assert response.status_code == 200
    page = response.content.decode()
    guests = page.split('id="field-guests"')[1].split('id="field-amount"')[0]
    assert 'class="error"' in guests  # the message sits under the field it is about
    assert "靠窗" in page  # what was typed is kept
    assert Entry.objects.count() == 0


def test_a_good_entry_is_recorded_shown_and_finished(spa, reception_client):  # noqa: F811
    project, _other, _people = spa
    start = datetime(2026, 11, 10, 14, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        response = reception_client.post(f"/registers/spa-reception-log/new?project={project.pk}", {
            "project": project.pk, "values.room": "2", "values.guests": "3", "values.amount": "520",
            "values.vip": "on", "then": "show"})
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registers/spa-reception-log/{entry.pk}/"
    assert entry.values == {"room": "2", "guests": "3", "amount": "520.00", "vip": True}
    shown = reception_client.get(response["Location"]).content.decode()
    assert "JD202600001" in shown and "520.00" in shown and 'id="finish"' in shown
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        reception_client.post(f"/registers/spa-reception-log/{entry.pk}/finish")
    entry.refresh_from_db()
    assert entry.status == "finished" and entry.on_time is False


def test_the_list_filters_exports_and_costs_the_same_for_more_rows(spa, api, reception_client):  # noqa: F811
    project, _other, people = spa
    for day in (3, 4, 20):
        with time_machine.travel(datetime(2026, 10, day, 10, 0, tzinfo=SHANGHAI), tick=False):
            record(api, people["reception"], project, {"room": "1", "guests": day, "note": "=1+1"})
    url = f"/registers/spa-reception-log/?project={project.pk}&from=2026-10-01&to=2026-10-10"
    with CaptureQueriesContext(connection) as few:
        page = reception_client.get(url).content.decode()
    assert page.count("JD2026") == 2
    for day in range(5, 9):
        with time_machine.travel(datetime(2026, 10, day, 10, 0, tzinfo=SHANGHAI), tick=False):
            record(api, people["reception"], project, {"room": "1", "guests": 1})
    with CaptureQueriesContext(connection) as more:
        assert reception_client.get(url).content.decode().count("JD2026") == 6
    assert len(more) == len(few) <= 14, [q["sql"] for q in more.captured_queries]
    export = reception_client.get(f"/registers/spa-reception-log/export?project={project.pk}&from=2026-10-01")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 8 and rows[1][0] == "JD202600001"
    assert "=1+1" in rows[1] and all(not str(cell).startswith("=") or cell == "=1+1" for cell in rows[1])


def test_scope_of_the_pages(spa, client):  # noqa: F811
    project, other, people = spa
    client.force_login(people["manager"])  # a reader: sees the list, may not record
    assert client.get(f"/registers/spa-reception-log/?project={project.pk}").status_code == 200
    assert client.get(f"/registers/spa-reception-log/new?project={project.pk}").status_code == 403
    assert client.get(f"/registers/spa-reception-log/?project={other.pk}").status_code == 403
    client.force_login(people["elsewhere"])  # a writer in the other project only
    assert client.get(f"/registers/spa-reception-log/new?project={project.pk}").status_code == 403
    assert client.get(f"/registers/spa-reception-log/new?project={other.pk}").status_code == 200
    client.force_login(people["nobody"])  # no post at all
    assert client.get("/registers/").status_code == 403
    assert client.get("/registers/spa-reception-log/").status_code == 403


def test_the_navigation_shows_registers_only_to_their_posts(spa, client):  # noqa: F811
    project, _other, people = spa
    client.force_login(people["reception"])
    assert 'href="/registers/"' in client.get("/registers/").content.decode()
    client.force_login(people["nobody"])
    assert 'href="/registers/"' not in client.get("/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_receptionist_records_and_finishes_an_entry_on_a_phone(page, spa):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "reception")
    page.goto(f"{page.base_url}/registers/")
    page.click("#registers a.button.primary")
    page.select_option("select[name='values.room']", "3")
    page.fill("input[name='values.guests']", "二")
    page.click("#entry-form button.primary")
    # the form posts and comes back on the same address: wait for the answer, not the page it replaces
    page.wait_for_selector("#field-guests .error", state="visible")
    page.fill("input[name='values.guests']", "2")
    page.fill("input[name='values.amount']", "268")
    page.check("input[name='values.vip']")
    page.screenshot(path="/tmp/registers-phone-form.png", full_page=True)
    page.click("#entry-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "JD202600001" in page.inner_text("h1")
    page.click("#finish")
    page.wait_for_load_state("networkidle")
    assert "✓" in page.inner_text("#entry-status")
    page.screenshot(path="/tmp/registers-phone-entry.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert page.console_errors == []
