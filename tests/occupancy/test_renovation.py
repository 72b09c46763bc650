"""Renovation (装修, seeds/004_418914185ea837fa.txt:16; seeds/000_d44081c6db2527f0.txt:459-464, 475, 561-564): an application
with contractor, workers and dates; approval by the supervisor post; the deposit a billing receivable; workers' passes
valid only within the approved dates; inspections with photos; the deposit refunded only after a passed final
inspection (409 before)."""
import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dutydesk.archive.models import Unit
from dutydesk.billing.models import OneOffCharge
from dutydesk.frontdesk.models import AccessPass, ServiceRecord
from dutydesk.occupancy import services
from dutydesk.occupancy.models import Renovation
from tests.occupancy.conftest import SHANGHAI

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def url(pk, action=""):
    return f"/api/v1/renovations/{pk}/{action}" if action else f"/api/v1/renovations/{pk}/"


def test_an_application_carries_contractor_workers_dates_and_deposit(staff, api, renovation_body, unit):
    response = api(staff["frontdesk"]).post("/api/v1/renovations/", renovation_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "applied" and body["unit"] == unit.pk and body["deposit"] == "3000.00"
    assert (body["contractor"], body["starts_on"], body["ends_on"]) == ("深圳美居装饰工程有限公司", "2026-06-02", "2026-06-30")
    assert [w["name"] for w in body["workers"]] == ["刘建军", "黄志强"]
    assert all(w["access_pass"] is None for w in body["workers"])  # passes come with the approval
    assert body["refund"] is None and body["deposit_charge"] is None
    assert ServiceRecord.objects.get().procedure.code == "renovation_filing"  # ≤ 15 min (004:46)


@pytest.mark.parametrize("changes, field", [
    ({"ends_on": "2026-06-01", "starts_on": "2026-06-10"}, "ends_on"),
    ({"starts_on": "2026-05-01", "ends_on": "2026-05-20"}, "ends_on"),  # over before it is filed
    ({"deposit": "abc"}, "deposit"),
    ({"deposit": "-1"}, "deposit"),
    ({"contractor": ""}, "contractor"),
    ({"contractor_phone": "12345"}, "contractor_phone"),
    ({"workers": [{"name": "刘", "phone": "1"}]}, "workers"),
])
def test_a_bad_application_is_a_400_naming_the_field(staff, api, renovation_body, changes, field):
    response = api(staff["frontdesk"]).post("/api/v1/renovations/", renovation_body(**changes), format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Renovation.objects.exists()


def test_one_renovation_at_a_time_per_unit(staff, api, renovation_body, renovation):
    assert api(staff["frontdesk"]).post("/api/v1/renovations/", renovation_body(), format="json").status_code == 409


def test_approval_issues_passes_within_the_dates_and_makes_the_deposit_a_receivable(staff, api, renovation, unit):
    response = api(staff["supervisor"]).post(url(renovation.pk, "approve"), {"note": "按装修手册施工"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["decided_by"] == staff["supervisor"].pk
    access_pass = AccessPass.objects.get()
    assert access_pass.kind == "renovation" and access_pass.holder_name == "刘建军"
    assert (access_pass.valid_from, access_pass.valid_until) == (date(2026, 6, 2), date(2026, 6, 30))
    assert body["workers"][0]["access_pass"]["number"] == access_pass.number
    charge = OneOffCharge.objects.get()
    assert charge.pk == body["deposit_charge"] and charge.amount == Decimal("3000.00")
    assert (charge.source, charge.source_id, charge.unit_id) == ("renovation_deposit", renovation.pk, unit.pk)
    assert body["deposit_billed"] is False
    unit.refresh_from_db()
    assert unit.status == Unit.Status.RENOVATING


def test_approving_twice_is_a_409(staff, api, renovation):
    client = api(staff["supervisor"])
    assert client.post(url(renovation.pk, "approve"), {}, format="json").status_code == 200
    again = client.post(url(renovation.pk, "approve"), {}, format="json")
    assert again.status_code == 409 and "detail" in again.json()
    assert OneOffCharge.objects.count() == 1 and AccessPass.objects.count() == 1


def test_a_rejected_application_needs_a_reason_and_can_be_filed_again(staff, api, renovation, renovation_body):
    client = api(staff["supervisor"])
    assert client.post(url(renovation.pk, "reject"), {}, format="json").status_code == 400
    assert client.post(url(renovation.pk, "reject"), {"reason": "方案涉及拆改承重墙"}, format="json").status_code == 200
    assert client.post(url(renovation.pk, "approve"), {}, format="json").status_code == 409
    assert api(staff["frontdesk"]).post("/api/v1/renovations/", renovation_body(), format="json").status_code == 201


def test_a_worker_added_after_approval_gets_a_pass_at_once(staff, api, approved):
    response = api(staff["frontdesk"]).post(url(approved.pk, "workers"), {"name": "吴海涛", "phone": "13800138221"},
                                            format="json")
    assert response.status_code == 201
    assert [w["access_pass"] is not None for w in response.json()["workers"]] == [True, True]


def test_an_extension_moves_the_end_date_and_the_passes(staff, api, approved):
    client = api(staff["frontdesk"])
    assert client.post(url(approved.pk, "extend"), {"ends_on": "2026-06-20"}, format="json").status_code == 400
    response = client.post(url(approved.pk, "extend"), {"ends_on": "2026-07-15"}, format="json")
    assert response.status_code == 200 and response.json()["ends_on"] == "2026-07-15"
    assert AccessPass.objects.get().valid_until == date(2026, 7, 15)


def test_refund_is_a_409_before_a_passed_final_inspection(staff, api, approved, collect_deposit):
    collect_deposit(approved)
    client = api(staff["supervisor"])
    assert client.post(url(approved.pk, "refund"), {"method": "transfer"}, format="json").status_code == 409
    failed = api(staff["butler"]).post(url(approved.pk, "inspections"),
                                       {"result": "fail", "final": True, "note": "卫生间未做闭水试验"}, format="json")
    assert failed.status_code == 201 and failed.json()["result"] == "fail"
    refused = client.post(url(approved.pk, "refund"), {"method": "transfer"}, format="json")
    assert refused.status_code == 409 and "竣工验收" in refused.json()["detail"]
    approved.refresh_from_db()
    assert approved.refunded_at is None and approved.status == "approved"


def test_the_whole_life_from_application_to_refund(staff, api, approved, collect_deposit, unit):
    butler, supervisor = api(staff["butler"]), api(staff["supervisor"])
    during = butler.post(url(approved.pk, "inspections"), {"result": "pass", "note": "现场防护到位"}, format="json")
    assert during.status_code == 201 and during.json()["final"] is False
    final = butler.post(url(approved.pk, "inspections"), {"result": "pass", "final": True}, format="json")
    assert final.status_code == 201
    assert supervisor.get(url(approved.pk)).json()["status"] == "passed"
    not_collected = supervisor.post(url(approved.pk, "refund"), {"method": "transfer"}, format="json")
    assert not_collected.status_code == 409  # the deposit has not come in yet
    collect_deposit(approved)
    assert supervisor.get(url(approved.pk)).json()["deposit_billed"] is True
    refunded = supervisor.post(url(approved.pk, "refund"), {"method": "transfer"}, format="json",
                               HTTP_IDEMPOTENCY_KEY="refund-1")
    assert refunded.status_code == 200
    refund = refunded.json()["refund"]
    assert refund["amount"] == "3000.00" and refund["method"] == "transfer"
    assert refund["refunded_by"] == staff["supervisor"].pk
    repeated = supervisor.post(url(approved.pk, "refund"), {"method": "transfer"}, format="json",
                               HTTP_IDEMPOTENCY_KEY="refund-1")
    assert repeated.status_code == 200 and repeated.json() == refunded.json()  # the first answer, nothing new
    assert supervisor.post(url(approved.pk, "refund"), {"method": "cash"}, format="json").status_code == 409
    closed = api(staff["frontdesk"]).post(url(approved.pk, "close"), {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert AccessPass.objects.get().status == AccessPass.Status.CANCELLED
    unit.refresh_from_db()
    assert unit.status == Unit.Status.VACANT  # nobody has moved in (the fixture resident has no move-in date)
    history = Renovation.history.filter(id=approved.pk)
    assert history.filter(history_user=staff["supervisor"], refunded_at__isnull=False).exists()


def test_a_partial_refund_needs_the_reason_of_the_deduction(staff, api, passed, collect_deposit):
    collect_deposit(passed)
    client = api(staff["supervisor"])
    bare = client.post(url(passed.pk, "refund"), {"method": "cash", "amount": "2500"}, format="json")
    assert bare.status_code == 400 and "note" in bare.json()["errors"]
    too_much = client.post(url(passed.pk, "refund"), {"method": "cash", "amount": "3000.01"}, format="json")
    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
    bad_method = client.post(url(passed.pk, "refund"), {"method": "cheque"}, format="json")
    assert bad_method.status_code == 400 and "method" in bad_method.json()["errors"]
    ok = client.post(url(passed.pk, "refund"), {"method": "cash", "amount": "2500", "note": "损坏公共墙面扣500元"},
                     format="json")
    assert ok.status_code == 200 and ok.json()["refund"]["amount"] == "2500.00"


def test_closing_before_the_final_inspection_is_a_409(staff, api, approved):
    assert api(staff["frontdesk"]).post(url(approved.pk, "close"), {}, format="json").status_code == 409


def test_inspection_photos_are_checked_by_content_and_served_to_staff_only(staff, api, client, approved,
                                                                          resident_user):
    butler = api(staff["butler"])
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    refused = butler.post(url(approved.pk, "inspections"), {"result": "fail", "note": "防护不到位", "photos": [fake]},
                          format="multipart")
    assert refused.status_code == 400 and "photos" in refused.json()["errors"]
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    response = butler.post(url(approved.pk, "inspections"), {"result": "fail", "note": "防护不到位", "photos": [photo]},
                           format="multipart")
    assert response.status_code == 201
    photo_url = response.json()["photos"][0]["url"]
    assert photo_url.startswith("/files/renovations/")
    client.force_login(staff["supervisor"])
    assert client.get(photo_url).status_code == 200
    client.force_login(resident_user)
    assert client.get(photo_url).status_code in (403, 404)
    listed = api(staff["supervisor"]).get(url(approved.pk, "inspections"))
    assert listed.status_code == 200 and listed.json()[0]["photos"][0]["name"] == "site.png"


def test_a_failed_inspection_needs_a_note_and_an_unknown_result_is_a_400(staff, api, approved):
    butler = api(staff["butler"])
    assert butler.post(url(approved.pk, "inspections"), {"result": "fail"}, format="json").status_code == 400
    assert butler.post(url(approved.pk, "inspections"), {"result": "maybe"}, format="json").status_code == 400
    waiting = services.renovation_apply(unit=approved.unit.building.units.create(
        project=approved.project, floor=3, number="301", area_m2="80"), clerk=staff["frontdesk"], contractor="某装修队",
        starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 9), deposit="0")
    assert butler.post(url(waiting.pk, "inspections"), {"result": "pass"}, format="json").status_code == 409


def test_the_overdue_filter_lists_works_past_their_end_date(staff, api, approved, traveller):
    traveller.move_to(dt.datetime(2026, 7, 2, 10, 0, tzinfo=SHANGHAI))
    body = api(staff["supervisor"]).get("/api/v1/renovations/", {"overdue": "true"}).json()
    assert [r["id"] for r in body["results"]] == [approved.pk] and body["results"][0]["overdue"] is True


def test_a_renovation_without_deposit_has_nothing_to_refund(staff, api, renovation_body):
    pk = api(staff["frontdesk"]).post("/api/v1/renovations/", renovation_body(deposit="0"), format="json").json()["id"]
    supervisor = api(staff["supervisor"])
    supervisor.post(url(pk, "approve"), {}, format="json")
    api(staff["butler"]).post(url(pk, "inspections"), {"result": "pass", "final": True}, format="json")
    assert not OneOffCharge.objects.exists()
    assert supervisor.post(url(pk, "refund"), {"method": "cash"}, format="json").status_code == 409


def test_the_page_walks_an_application_through_approval(staff, client, unit, resident):
    client.force_login(staff["frontdesk"])
    response = client.post("/occupancy/renovations/", {
        "unit": "A-1201", "resident": resident.pk, "contractor": "福田佳园装修队", "starts_on": "2026-06-02",
        "ends_on": "2026-06-12", "deposit": "2000", "workers_text": "吴海涛 13800138221\n陈国华"})
    renovation = Renovation.objects.get()
    assert response.status_code == 302 and renovation.workers.count() == 2
    page = client.get(f"/occupancy/renovations/{renovation.pk}/").content.decode()
    assert "approve-form" not in page  # the front desk does not approve
    client.force_login(staff["supervisor"])
    assert "approve-form" in client.get(f"/occupancy/renovations/{renovation.pk}/").content.decode()
    client.post(f"/occupancy/renovations/{renovation.pk}/approve", {"note": ""})
    renovation.refresh_from_db()
    assert renovation.status == "approved"
    again = client.post(f"/occupancy/renovations/{renovation.pk}/approve", {"note": ""}, follow=True)
    assert "只有仍在等待审批的申请" in again.content.decode()  # the API's 409 message, on the page
    bad = client.post("/occupancy/renovations/", {"unit": "A-1201", "contractor": "x", "starts_on": "2026-06-02",
                                                  "ends_on": "2026-06-12", "deposit": "abc"})
    assert bad.status_code == 200 and "请填写金额" in bad.content.decode()


def test_the_renovation_page_shows_the_state_in_words(staff, client, passed):
    client.force_login(staff["supervisor"])
    html = client.get(f"/occupancy/renovations/{passed.pk}/").content.decode()
    assert 'name="viewport"' in html and "occupancy.css" in html
    assert "竣工验收合格" in html and "refund-form" in html and "close-form" in html
    client.force_login(staff["frontdesk"])
    html = client.get(f"/occupancy/renovations/{passed.pk}/").content.decode()
    assert "close-form" in html and "refund-form" not in html  # the desk closes; refunds are the supervisors'
