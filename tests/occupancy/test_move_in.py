"""Move-in (入住收楼, seeds/004_418914185ea837fa.txt:14, ≤ 30 min at :42): a checklist per unit, each step timed and signed;
all steps done → the unit is occupied and the resident active; a form to sign as a PDF."""
import io

from pypdf import PdfReader

from dutydesk.archive.models import Unit
from dutydesk.frontdesk.models import ServiceRecord
from dutydesk.occupancy.models import MOVE_IN_STEPS, MoveIn

STEPS = [code for code, _label in MOVE_IN_STEPS]


def open_move_in(client, unit, resident, **changes):
    return client.post("/api/v1/move-ins/", {"unit": unit.pk, "resident": resident.pk, "date": "2026-06-01",
                                             "started_at": "2026-06-01T09:40:00+08:00", **changes}, format="json")


STEP_BODIES = {"keys": {"count": 2}, "meters": {"readings": {"water": "15.2", "electricity": "320.50"}}}


def tick(client, pk, code, body=None):
    return client.post(f"/api/v1/move-ins/{pk}/steps/{code}/done", body or STEP_BODIES.get(code, {}), format="json")


def test_a_move_in_is_a_checklist_of_six_steps(staff, api, vacant, newcomer):
    response = open_move_in(api(staff["frontdesk"]), vacant, newcomer)
    assert response.status_code == 201
    body = response.json()
    assert [step["code"] for step in body["steps"]] == STEPS
    assert body["steps"][0] == {**body["steps"][0], "name": "证件资料核验", "done_at": None}
    assert {"unit", "resident", "date", "status", "steps"} <= set(body)
    assert body["status"] == "open" and body["unit"] == vacant.pk and body["resident"] == newcomer.pk


def test_all_steps_done_occupies_the_unit_and_the_resident_moves_in(staff, api, vacant, newcomer):
    client = api(staff["frontdesk"])
    pk = open_move_in(client, vacant, newcomer).json()["id"]
    for code in STEPS[:-1]:
        assert tick(client, pk, code).status_code == 200
        vacant.refresh_from_db()
        assert vacant.status == Unit.Status.VACANT  # not before the last step
    done = tick(client, pk, "archive", {"note": "资料已转交资料员"})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "completed" and body["keys_count"] == 2
    assert all(step["done_at"] for step in body["steps"])
    assert {step["done_by"] for step in body["steps"]} == {staff["frontdesk"].pk}
    meters = next(step for step in body["steps"] if step["code"] == "meters")
    assert meters["data"] == {"readings": {"water": "15.20", "electricity": "320.50"}}
    vacant.refresh_from_db()
    newcomer.refresh_from_db()
    assert vacant.status == Unit.Status.OCCUPIED
    assert newcomer.move_in_date.isoformat() == "2026-06-01" and newcomer.move_out_date is None
    record = ServiceRecord.objects.get(procedure__code="move_in")
    assert record.duration_seconds == 20 * 60 and record.clerk == staff["frontdesk"]  # 09:40 → 10:00, within 30 min
    assert MoveIn.objects.get().history.count() >= 2  # audited


def test_each_step_is_done_once_and_a_completed_move_in_is_closed(staff, api, vacant, newcomer):
    client = api(staff["frontdesk"])
    pk = open_move_in(client, vacant, newcomer).json()["id"]
    assert tick(client, pk, "documents").status_code == 200
    again = tick(client, pk, "documents")
    assert again.status_code == 409 and "detail" in again.json()
    for code in STEPS[1:]:
        tick(client, pk, code)
    assert tick(client, pk, "fees").status_code == 409


def test_the_steps_ask_for_keys_and_readings_and_refuse_unknown_steps(staff, api, vacant, newcomer):
    client = api(staff["frontdesk"])
    pk = open_move_in(client, vacant, newcomer).json()["id"]
    no_count = tick(client, pk, "keys", {"note": "x"})
    assert no_count.status_code == 400 and "count" in no_count.json()["errors"]
    zero = tick(client, pk, "keys", {"count": 0})
    assert zero.status_code == 400 and "count" in zero.json()["errors"]
    no_reading = tick(client, pk, "meters", {"readings": {}})
    assert no_reading.status_code == 400 and "readings" in no_reading.json()["errors"]
    junk = tick(client, pk, "meters", {"readings": {"water": "abc"}})
    assert junk.status_code == 400 and "readings" in junk.json()["errors"]
    unknown_meter = tick(client, pk, "meters", {"readings": {"steam": "1"}})
    assert unknown_meter.status_code == 400
    assert tick(client, pk, "sauna").status_code == 404
    assert MoveIn.objects.get().steps.filter(done_at__isnull=False).count() == 0


def test_fees_are_settled_first(staff, api, vacant, newcomer, unpaid_bill):
    unpaid_bill(vacant)
    client = api(staff["frontdesk"])
    pk = open_move_in(client, vacant, newcomer).json()["id"]
    response = tick(client, pk, "fees")
    assert response.status_code == 409 and "A-1202" in response.json()["detail"]


def test_the_archive_step_needs_a_complete_record(staff, api, vacant, newcomer):
    newcomer.id_number = ""
    newcomer.save()
    client = api(staff["frontdesk"])
    pk = open_move_in(client, vacant, newcomer).json()["id"]
    assert tick(client, pk, "archive").status_code == 409


def test_an_occupied_unit_or_a_second_move_in_is_refused(staff, api, unit, resident, vacant, newcomer):
    client = api(staff["frontdesk"])
    assert open_move_in(client, unit, resident).status_code == 409  # A-1201 is occupied
    assert open_move_in(client, vacant, newcomer).status_code == 201
    assert open_move_in(client, vacant, newcomer).status_code == 409


def test_the_resident_must_be_registered_at_the_unit(staff, api, vacant, resident):
    response = open_move_in(api(staff["frontdesk"]), vacant, resident)
    assert response.status_code == 400 and "resident" in response.json()["errors"]
    bad_date = open_move_in(api(staff["frontdesk"]), vacant, resident, date="2026-13-01")
    assert bad_date.status_code == 400 and "date" in bad_date.json()["errors"]


def test_the_move_in_form_to_sign_is_a_pdf_with_the_checklist(staff, api, client, vacant, newcomer):
    api_client = api(staff["frontdesk"])
    pk = open_move_in(api_client, vacant, newcomer).json()["id"]
    for code in STEPS:
        tick(api_client, pk, code)
    client.force_login(staff["frontdesk"])
    response = client.get(f"/occupancy/move-ins/{pk}/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "入住交接确认书" in text and "A-1202" in text and "郑晓明" in text and "水表" in text
    assert newcomer.id_number not in text  # the identity number is masked on paper too


def test_the_page_ticks_a_step_with_htmx_and_shows_the_checklist(staff, client, vacant, newcomer):
    client.force_login(staff["butler"])
    response = client.post("/occupancy/move-ins/", {"unit": "A-1202", "resident": newcomer.pk, "date": "2026-06-01"})
    move_in = MoveIn.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/occupancy/move-ins/{move_in.pk}/"
    ticked = client.post(f"/occupancy/move-ins/{move_in.pk}/steps/keys/done", {"count": "3"}, HTTP_HX_REQUEST="true")
    assert ticked.status_code == 200
    html = ticked.content.decode()
    assert 'id="checklist"' in html and "3 把钥匙" in html
    refused = client.post(f"/occupancy/move-ins/{move_in.pk}/steps/keys/done", {"count": "3"}, HTTP_HX_REQUEST="true")
    assert "此步骤已完成" in refused.content.decode()
    page = client.get(f"/occupancy/move-ins/{move_in.pk}/")
    assert page.status_code == 200 and "入住交接单（PDF）" in page.content.decode()
