from dutydesk.core.models import Notification
from dutydesk.frontdesk.models import MailItem
from tests.factories import UnitFactory


def test_the_desk_signs_for_a_parcel_and_the_resident_is_notified(staff, api, unit, resident_user):
    response = api(staff["frontdesk"]).post("/api/v1/mail/", {"unit": unit.pk, "kind": "parcel", "sender": "顺丰",
                                                              "tracking_number": "SF123"}, format="json")
    assert response.status_code == 201 and response.json()["residents_notified"] == 1
    note = Notification.objects.get(user=resident_user)
    assert "A-1201" in note.title and "SF123" in note.body


def test_the_butler_sees_pending_mail_of_their_floors_and_delivers_it(staff, api, unit, building, other_building):
    desk = api(staff["frontdesk"])
    high = UnitFactory(building=building, floor=20, number="2001")
    other = UnitFactory(building=other_building, floor=3, number="301")
    ids = [desk.post("/api/v1/mail/", {"unit": u.pk}, format="json").json()["id"] for u in (unit, unit, high, other)]
    floors = desk.get("/api/v1/mail/pending-by-floor").json()
    assert floors == [{"building": "A", "floor": 12, "count": 2}, {"building": "A", "floor": 20, "count": 1},
                      {"building": "B", "floor": 3, "count": 1}]
    butler = api(staff["butler"])
    assert butler.get("/api/v1/mail/pending-by-floor").json() == [{"building": "A", "floor": 12, "count": 2}]
    assert butler.post(f"/api/v1/mail/{ids[2]}/deliver").status_code == 404  # floor 20 is not theirs
    delivered = butler.post(f"/api/v1/mail/{ids[0]}/deliver")
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    assert butler.post(f"/api/v1/mail/{ids[0]}/deliver").status_code == 409
    collected = desk.post(f"/api/v1/mail/{ids[1]}/collect", {"collected_by_name": "张三"}, format="json")
    assert collected.json()["status"] == "collected"
    assert desk.get("/api/v1/mail/", {"status": "pending"}).json()["count"] == 2


def test_mail_for_an_unknown_unit_is_refused(staff, api):
    response = api(staff["frontdesk"]).post("/api/v1/mail/", {"unit": 424242}, format="json")
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert not MailItem.objects.exists()
    assert api(staff["cardclerk"]).get("/api/v1/mail/").status_code == 403
