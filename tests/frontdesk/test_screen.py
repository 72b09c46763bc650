import datetime as dt
import re

import time_machine

from dutydesk.frontdesk.models import ExpectedVisitor, KeyLoan, ServiceRecord, Visit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_desk_shows_only_the_registers_the_post_allows(staff, client):
    client.force_login(staff["visitordesk"])
    html = client.get("/frontdesk/").content.decode()
    assert 'id="tab-visitors"' in html and 'id="tab-goods"' in html
    assert 'id="tab-keys"' not in html and 'id="tab-cards"' not in html
    assert client.get("/frontdesk/tab/keys/").status_code == 403
    client.force_login(staff["engineer"])
    assert client.get("/frontdesk/").status_code == 403


def test_the_visitor_form_records_when_it_was_opened(staff, client, unit):
    client.force_login(staff["visitordesk"])
    with time_machine.travel(dt.datetime(2026, 5, 6, 14, 0, tzinfo=SHANGHAI), tick=False):
        form = client.get("/frontdesk/tab/visitors/").content.decode()
    started = re.search(r'name="started_at" value="([^"]+)"', form)[1]
    assert dt.datetime.fromisoformat(started) == dt.datetime(2026, 5, 6, 14, 0, tzinfo=SHANGHAI)
    with time_machine.travel(dt.datetime(2026, 5, 6, 14, 3, tzinfo=SHANGHAI), tick=False):
        response = client.post("/frontdesk/tab/visitors/register/", {
            "started_at": started, "visitor_name": "王五", "visitor_phone": "13800138001", "unit": "A-1201",
            "purpose": "探亲", "headcount": "1", "id_number": "", "expected_code": ""}, **HTMX)
    visit = Visit.objects.get()
    assert f"/frontdesk/visits/{visit.pk}/pass/" in response.content.decode()
    assert ServiceRecord.objects.get().duration_seconds == 180


def test_a_form_with_a_bad_phone_comes_back_with_the_error_and_stores_nothing(staff, client, unit):
    client.force_login(staff["visitordesk"])
    response = client.post("/frontdesk/tab/visitors/register/", {
        "visitor_name": "王五", "visitor_phone": "123", "unit": "A-1201", "purpose": "探亲", "headcount": "1"}, **HTMX)
    html = response.content.decode()
    assert 'data-field="visitor_phone"' in html and 'value="王五"' in html
    assert not Visit.objects.exists()
    plain = client.post("/frontdesk/tab/visitors/register/", {"visitor_name": "王五", "visitor_phone": "123",
                                                               "unit": "A-1201", "purpose": "x"})
    assert plain.status_code == 400


def test_lending_twice_from_the_screen_shows_the_conflict(staff, client, key):
    client.force_login(staff["archivist"])
    data = {"key": key.pk, "borrower_name": "李四", "borrower_phone": "13912345678", "purpose": "维修"}
    client.post("/frontdesk/tab/keys/lend/", data, **HTMX)
    again = client.post("/frontdesk/tab/keys/lend/", data)
    assert again.status_code == 409
    assert KeyLoan.objects.count() == 1


def test_unit_autocomplete_searches_the_units_in_scope(staff, client, unit, elsewhere):
    client.force_login(staff["visitordesk"])
    html = client.get("/frontdesk/options/units/", {"tab": "visitors", "unit": "120"}).content.decode()
    assert 'value="A-1201"' in html
    assert "C-501" not in client.get("/frontdesk/options/units/", {"tab": "visitors", "unit": "501"}).content.decode()


def test_a_resident_gets_a_code_for_an_expected_visitor_in_the_portal(client, resident_user):
    client.force_login(resident_user)
    page = client.post("/portal/visitors/", {"visitor_name": "赵六", "visitor_phone": "", "expected_on": "2099-01-01"})
    assert page.status_code == 400  # more than 30 days ahead
    today = dt.date.today().isoformat()
    page = client.post("/portal/visitors/", {"visitor_name": "赵六", "visitor_phone": "", "expected_on": today})
    expected = ExpectedVisitor.objects.get()
    html = page.content.decode()
    assert expected.code in html and "data:image/svg+xml" in html


def test_every_tab_renders_for_the_manager(staff, client, key, resident):
    from dutydesk.frontdesk import services

    services.key_lend(key=key, clerk=staff["archivist"], borrower_name="李四", borrower_phone="13912345678", purpose="x")
    services.card_batch_record(project=key.project, clerk=staff["cardclerk"], bought_on=dt.date.today(), quantity=2)
    card = services.card_make(resident=resident, clerk=staff["cardclerk"], number="C1")
    services.mail_sign_for(unit=key.unit, clerk=staff["frontdesk"])
    access_pass = services.pass_issue(unit=key.unit, clerk=staff["frontdesk"], kind="temporary", holder_name="老王",
                                      valid_from=dt.date.today(), valid_until=dt.date.today())
    release = services.goods_release_create(unit=key.unit, clerk=staff["frontdesk"], items="箱子", carrier_name="小刘",
                                            authorised_by="张三")
    client.force_login(staff["manager"])
    for tab in ("visitors", "keys", "goods", "passes", "cards", "mail", "times"):
        response = client.get(f"/frontdesk/tab/{tab}/")
        assert response.status_code == 200, tab
    assert "C1" in client.get("/frontdesk/tab/cards/").content.decode()
    assert client.get(f"/frontdesk/passes/{access_pass.pk}/print/").status_code == 200
    assert client.get(f"/frontdesk/goods/{release.pk}/slip/").status_code == 200
    assert client.get("/frontdesk/times/").status_code == 200
    assert card.status == "made"


def test_the_card_clerk_makes_a_card_with_a_photo_from_the_screen(staff, client, resident, project, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from dutydesk.frontdesk import services
    from dutydesk.frontdesk.models import Card

    services.card_batch_record(project=project, clerk=staff["cardclerk"], bought_on=dt.date.today(), quantity=1)
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "white").save(buffer, "PNG")
    client.force_login(staff["cardclerk"])
    client.post("/frontdesk/tab/cards/make/", {
        "resident": resident.pk, "number": "C77", "photo": SimpleUploadedFile("p.png", buffer.getvalue(), "image/png")},
        **HTMX)
    card = Card.objects.get()
    assert card.photo.name.startswith("cards/") and card.status == "made"
    not_an_image = client.post("/frontdesk/tab/cards/make/", {
        "resident": resident.pk, "number": "C78", "photo": SimpleUploadedFile("p.png", b"nope", "image/png")}, **HTMX)
    assert 'data-field="photo"' in not_an_image.content.decode()
    assert Card.objects.count() == 1


def test_a_lending_error_keeps_the_chosen_key_and_every_typed_value(staff, client, key, public_key):
    """A validation error once reset the key to the first one: a clerk could lend the wrong key."""
    client.force_login(staff["archivist"])
    response = client.post("/frontdesk/tab/keys/lend/", {"key": public_key.pk, "borrower_name": "李四",
                                                          "borrower_phone": "123", "purpose": "维修"}, **HTMX)
    html = response.content.decode()
    assert f'<option value="{public_key.pk}" selected>' in html
    assert f'<option value="{key.pk}" selected>' not in html
    assert 'value="李四"' in html and 'data-field="borrower_phone"' in html
    assert not KeyLoan.objects.exists()


def test_no_key_is_chosen_by_default_and_the_required_fields_are_marked(staff, client, key):
    client.force_login(staff["archivist"])
    html = client.get("/frontdesk/tab/keys/", **HTMX).content.decode()
    form = html[html.index('id="lend-form"'):html.index("</form>", html.index('id="lend-form"'))]
    assert '<option value="">' in form and " selected" not in form
    assert form.count('class="required"') == 4 and form.count(" required") >= 4
    missing = client.post("/frontdesk/tab/keys/lend/", {"borrower_name": "李四", "borrower_phone": "13912345678",
                                                         "purpose": "维修"}, **HTMX).content.decode()
    assert 'data-field="key"' in missing and not KeyLoan.objects.exists()


def test_the_due_time_of_a_lent_key_says_which_day(staff, client, key):
    client.force_login(staff["archivist"])
    client.post("/frontdesk/tab/keys/lend/", {"key": key.pk, "borrower_name": "李四", "borrower_phone": "13912345678",
                                              "purpose": "维修"}, **HTMX)
    html = client.get("/frontdesk/tab/keys/", **HTMX).content.decode()
    assert "应还" in html and ("今天" in html or "逾期" in html)


def test_the_key_statistics_say_returned_not_card_returned(staff, client, key):
    client.force_login(staff["archivist"])
    html = client.get("/frontdesk/tab/keys/", **HTMX).content.decode()
    assert "已归还" in html and "已退卡" not in html
