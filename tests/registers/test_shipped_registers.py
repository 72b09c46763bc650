"""The registers of the shipped catalogues run (issue 12): every shipped catalogue imports beside the others, each of
its registers takes a valid entry from a holder of a writer post through the API and refuses a bad value with a 400
naming ``values.<field>``, and each KPI over a register measures in the scorecards. Generic over the files in
dutydesk/org/catalogs/, so a catalogue added there is checked too."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import CATALOG_DIR, catalog_from_yaml, load_shipped
from dutydesk.org.models import Post, Register
from dutydesk.registers.models import Entry
from tests.factories import BuildingFactory, ProjectFactory, ResidentFactory, UnitFactory, UserFactory, hold

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIPPED = sorted(path.stem for path in CATALOG_DIR.glob("*.yaml"))
DOCUMENTS = {code: catalog_from_yaml((CATALOG_DIR / f"{code}.yaml").read_text(encoding="utf-8")) for code in SHIPPED}
REGISTERS = [(code, register) for code, document in DOCUMENTS.items() for register in document.get("registers") or []]
REGISTER_KPIS = [(code, post, kpi) for code, document in DOCUMENTS.items() for post in document["posts"]
                 for kpi in post.get("kpis") or [] if kpi.get("source") == "register"]
# a good value of each field type (a unit or a resident: one of the project's, see ``place``; a required photo would
# need a file: none is required)
GOOD = {"text": "测试内容", "number": "2", "money": "12.50", "date": "2026-10-05", "datetime": "2026-10-05T10:00",
        "boolean": True}
BAD = {"text": {"not": "a text"}, "number": "two", "money": "12.3.4", "date": "2026-13-45", "datetime": "tomorrow",
       "boolean": "maybe", "choice": "no-such-choice"}


def place():
    """A project with a unit and its resident, for the unit and resident fields."""
    project = ProjectFactory()
    unit = UnitFactory(building=BuildingFactory(project=project), floor=12, number="1201")
    return project, {"unit": unit.pk, "resident": ResidentFactory(unit=unit).pk}


def good_values(register: dict, archive: dict | None = None) -> dict:
    values = {}
    for field in register["fields"]:
        kind = field["type"]
        assert not (kind == "photo" and field.get("required")), field["code"]
        if kind in ("unit", "resident"):
            if archive is not None:
                values[field["code"]] = archive[kind]
            else:
                assert not field.get("required"), field["code"]
        elif kind == "choice":
            first = field["choices"][0]
            values[field["code"]] = first["code"] if isinstance(first, dict) else str(first)
        elif kind in GOOD:
            values[field["code"]] = GOOD[kind]
    return values


def test_the_shipped_catalogues_are_the_files_of_the_folder():
    assert {"property-cs", "supermarket", "telecom-store", "tobacco-account", "auto-4s-customer-care",
            "bank-account-manager", "hotel-sales", "foot-spa"} <= set(SHIPPED)


def test_every_shipped_catalogue_imports_beside_the_others_and_again_without_change(db):
    for code in SHIPPED:
        assert import_catalog(load_shipped(code)).posts_created > 0, code
    for code in SHIPPED:  # post, register and procedure codes do not collide: a second round changes nothing
        again = import_catalog(load_shipped(code))
        assert (again.posts_created, again.posts_updated, again.registers_changed) == (0, 0, []), code
    assert Register.objects.count() == len(REGISTERS)
    assert Post.objects.count() == sum(len(d["posts"]) for d in DOCUMENTS.values())


@pytest.mark.parametrize("code, kpi", [pytest.param(code, kpi, id=f"{code}:{post['code']}:{kpi['code']}")
                                       for code, post, kpi in REGISTER_KPIS])
def test_a_register_kpi_sits_on_a_post_that_writes_its_register(code, kpi):
    """A register KPI counts the entries the card's staff recorded: on a post that does not write the register it
    could never measure anything."""
    post = next(p for p in DOCUMENTS[code]["posts"] if kpi in (p.get("kpis") or []))
    register = next(r for r in DOCUMENTS[code]["registers"] if r["code"] == kpi["register"])
    assert post["code"] in register["writers"]


@pytest.mark.parametrize("code, register", [pytest.param(code, register, id=f"{code}:{register['code']}")
                                            for code, register in REGISTERS])
def test_a_writer_records_a_valid_entry_and_a_bad_value_is_refused(db, api, code, register):
    import_catalog(load_shipped(code))
    project, archive = place()
    writer = UserFactory()
    hold(writer, register["writers"][0], project)
    url = f"/api/v1/registers/{register['code']}/entries"
    with time_machine.travel(datetime(2026, 10, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        response = api(writer).post(url, {"project": project.pk, "values": good_values(register, archive)},
                                    format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith(str(register.get("number_prefix") or ""))
    checked = next(f for f in register["fields"] if f["type"] in BAD and f["type"] != "text") \
        if any(f["type"] in BAD and f["type"] != "text" for f in register["fields"]) else register["fields"][0]
    bad = {**good_values(register, archive), checked["code"]: BAD[checked["type"]]}
    refused = api(writer).post(url, {"project": project.pk, "values": bad}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == [f"values.{checked['code']}"]
    required = [f["code"] for f in register["fields"] if f.get("required")]
    missing = api(writer).post(url, {"project": project.pk, "values": {}}, format="json")
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {f"values.{c}" for c in required}
    assert Entry.objects.count() == 1
    outsider = UserFactory()
    reader_posts = [p for p in register.get("readers") or [] if p not in register["writers"]]
    if reader_posts:  # a reader sees the register but does not write it
        hold(outsider, reader_posts[0], project)
        assert api(outsider).post(url, {"project": project.pk, "values": good_values(register, archive)},
                                  format="json").status_code == 403


@pytest.mark.parametrize("code, kpi", [pytest.param(code, kpi, id=f"{code}:{post['code']}:{kpi['code']}")
                                       for code, post, kpi in REGISTER_KPIS])
def test_a_register_kpi_measures_in_the_scorecards(db, api, code, kpi):
    import_catalog(load_shipped(code))
    document = DOCUMENTS[code]
    post = next(p for p in document["posts"] if kpi in (p.get("kpis") or []))
    register = next(r for r in document["registers"] if r["code"] == kpi["register"])
    project, archive = place()
    writer, manager = UserFactory(), UserFactory()
    hold(writer, post["code"], project)
    top = next(p for p in document["posts"] if "reports.view" in (p.get("permissions") or []))
    hold(manager, top["code"], project)
    kind, _sep, field = kpi["measure"].partition(":")
    amounts = ["3", "5"]
    start = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)
    for amount in amounts:
        values = good_values(register, archive)
        if field:
            values[field] = amount
        with time_machine.travel(start, tick=False):
            entry = api(writer).post(f"/api/v1/registers/{register['code']}/entries",
                                     {"project": project.pk, "values": values}, format="json")
            assert entry.status_code == 201, entry.content
        if entry.json()["status"] == "open":  # a timed register: finished at once, within its standard
            with time_machine.travel(start + timedelta(minutes=1), tick=False):
                assert api(writer).post(f"/api/v1/registers/{register['code']}/entries/{entry.json()['id']}/finish"
                                        ).status_code == 200
        start += timedelta(days=1)
    body = api(manager).get(f"/api/v1/reports/scorecards?period=2026-10&project={project.pk}").json()
    card = next(c for c in body["results"] if c["user"] and c["user"]["username"] == writer.username
                and c["post"]["code"] == post["code"])
    row = next(k for k in card["kpis"] if k["code"] == kpi["code"])
    expected = {"count": Decimal(2), "on_time_rate": Decimal(100), "sum": Decimal(8), "avg": Decimal(4)}[kind]
    assert Decimal(row["actual"]) == expected, row
    assert row["no_data"] is False


@pytest.mark.parametrize("code, register", [pytest.param(code, register, id=f"{code}:{register['code']}")
                                            for code, register in REGISTERS])
def test_the_register_pages_show_its_form_and_entries(db, api, client, code, register):
    import_catalog(load_shipped(code))
    project, archive = place()
    writer = UserFactory()
    hold(writer, register["writers"][0], project)
    entry = api(writer).post(f"/api/v1/registers/{register['code']}/entries",
                             {"project": project.pk, "values": good_values(register, archive)}, format="json").json()
    client.force_login(writer)
    form = client.get(f"/registers/{register['code']}/new?project={project.pk}")
    assert form.status_code == 200
    page = form.content.decode()
    for field in register["fields"]:
        assert f'name="values.{field["code"]}"' in page and field["name"] in page, field["code"]
    listed = client.get(f"/registers/{register['code']}/?project={project.pk}")
    assert listed.status_code == 200 and entry["number"] in listed.content.decode()
