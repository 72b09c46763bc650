"""A NUL byte or other control character in any parameter → 400 (or an empty result), never a 500 (shared/API.md)."""
import pytest
from django.test import Client

from tests.conftest import api_client_for

API_LISTS = ["projects", "buildings", "units", "residents", "parking-spaces", "vehicles", "charge-items",
             "unit-charges", "meter-readings", "billing/runs", "bills", "payments", "late-fees", "tasks", "opinions",
             "keys", "key-counts", "visits", "expected-visitors", "goods-releases", "passes", "card-batches", "cards",
             "mail", "posts", "tickets", "ticket-categories"]
PARAMS = ["status", "q", "unit", "project", "period", "name", "code", "phone", "kind", "assignee", "search"]


@pytest.mark.parametrize("path", API_LISTS)
def test_api_lists_answer_400_for_a_nul_byte_in_any_parameter(path, staff, api):
    client = api(staff["manager"])
    for param in PARAMS:
        response = client.get(f"/api/v1/{path}/?{param}=%00")
        assert response.status_code == 400, (path, param, response.status_code)
        assert param in response.json()["errors"]
    assert client.get(f"/api/v1/{path}/?status=ok%01x").status_code == 400


@pytest.mark.parametrize("url", ["/units/?q=%00", "/residents/?q=%00", "/billing/bills/?q=%00", "/tickets/?q=%00",
                                 "/frontdesk/options/units/?q=A%00", "/frontdesk/options/residents/?q=%00",
                                 "/tickets/lookup/?term=%00"])
def test_pages_answer_a_styled_400(url, staff):
    client = Client()
    client.force_login(staff["manager"])
    response = client.get(url)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_a_nul_in_a_json_body_or_a_form_is_rejected_and_changes_nothing(staff, unit, api):
    from dutydesk.tickets.models import Ticket

    client = api(staff["frontdesk"])
    response = client.post("/api/v1/tickets/", data='{"kind": "repair", "unit": %d, "title": "漏水\\u0000", '
                           '"description": "x", "channel": "phone", "priority": "normal"}' % unit.pk,
                           content_type="application/json")
    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    form = Client()
    form.force_login(staff["frontdesk"])
    assert form.post("/tickets/new/", {"title": "漏水\x00", "unit_lookup": "A-1201"}).status_code == 400
    assert Ticket.objects.count() == 0


def test_ordinary_text_with_newlines_and_tabs_passes(staff, api):
    client = api(staff["manager"])
    assert client.get("/api/v1/residents/?q=%E5%BC%A0%09%0A").status_code == 200


def test_english_message_when_asked(staff):
    response = api_client_for(staff["manager"], language="en").get("/api/v1/tickets/?q=%00")
    assert response.json()["errors"]["q"] == ["The value contains a control character (such as a NUL byte)."]
