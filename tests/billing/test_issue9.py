"""Issue 9, billing: every billing page works for every post, after real use, on a desk and a phone."""
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from dutydesk.billing import selectors, services
from dutydesk.billing.models import Bill, Payment, UnitCharge
from dutydesk.core import panels
from tests.factories import BuildingFactory, ResidentFactory, UnitFactory, UserFactory, hold


def _units_found(client, project, q):
    html = client.get("/billing/bills/", {"project": project.pk, "q": q}).content.decode()
    return sorted(set(re.findall(r">([A-Z座]+-\d+)</a>", html)))


# --- 1. search by unit ------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["A-1201", "A1201", "a-1201", "A座1201", "A 1201", "1201", " A－1201 ", "a1201"])
def test_bills_are_found_by_the_unit_code_typed_any_usual_way(typed, bill, staff, client, project, other_building):
    other = UnitFactory(building=other_building, floor=12, number="1202")
    UnitCharge.objects.create(unit=other, item=bill.lines.first().item, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    client.force_login(staff["manager"])
    assert _units_found(client, project, typed) == ["A-1201"]


def test_a_building_named_with_its_suffix_is_found_by_the_letter(project, mgmt_fee, staff, client):
    unit = UnitFactory(building=BuildingFactory(project=project, name="C座"), floor=10, number="1003")
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    client.force_login(staff["manager"])
    for typed in ("C-1003", "c1003", "C座1003", "C 1003", "1003"):
        assert _units_found(client, project, typed) == ["C座-1003"], typed


def test_bills_are_found_by_the_resident_name_or_phone(bill, resident, staff, client, project):
    client.force_login(staff["manager"])
    for typed in ("张三", "张", "13912345678", "139 1234 5678"):
        assert _units_found(client, project, typed) == ["A-1201"], typed
    for typed in ("李四", "13800000000", "B-1201", "A-9999", "'; drop table", "1" * 200):
        assert _units_found(client, project, typed) == [], typed


def test_a_given_name_finds_the_household_as_the_other_searches_do(bill, resident, staff, client, project):
    """The bills' search box matches a name as the residents' and work orders' do (archive.selectors.name_q): 小明
    finds 王小明, the surname 王 finds them, 明 (one character, not a surname) does not."""
    resident.name = "王小明"
    resident.save()
    client.force_login(staff["manager"])
    for typed in ("小明", "王", "王小明"):
        assert _units_found(client, project, typed) == ["A-1201"], typed
    assert _units_found(client, project, "明") == []


def test_the_search_does_not_leak_bills_outside_the_butlers_floors(bill, staff, client, project, make_unit, mgmt_fee):
    far = make_unit("2501", floor=25)
    UnitCharge.objects.create(unit=far, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    client.force_login(staff["butler"])
    assert _units_found(client, project, "A-2501") == []
    assert _units_found(client, project, "A-1201") == ["A-1201"]


def test_the_bill_list_costs_the_same_queries_for_1_or_40_bills(bill, staff, client, project, make_unit, mgmt_fee):
    client.force_login(staff["manager"])
    client.get("/billing/bills/", {"project": project.pk})
    # one month each (a list of every month probes each month it reaches: see test_reports, month by month)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/billing/bills/", {"project": project.pk, "period": "2026-10"}).status_code == 200
    for index in range(40):
        UnitCharge.objects.create(unit=make_unit(f"5{index:02d}", floor=5), item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/billing/bills/", {"project": project.pk, "period": "2026-11"}).status_code == 200
    assert len(large) == len(small)


# --- 2. money, rates and the default period ---------------------------------------------------

def test_billing_pages_open_on_the_latest_period_with_bills(bill, staff, client, project):
    """Today is 2026-11-24 (conftest clock) and only October is billed."""
    client.force_login(staff["manager"])
    html = client.get("/billing/", {"project": project.pk}).content.decode()
    assert 'value="2026-10"' in html and "0.00 %" in html and "95.00 %" in html
    services.bill_run_create(project=project, period="2026-09")
    html = client.get("/billing/bills/", {"project": project.pk}).content.decode()
    assert 'placeholder="2026-10"' in html and len(re.findall(r'href="/billing/bills/\d+/"', html)) == 1  # October only
    html = client.get("/billing/bills/", {"project": project.pk, "q": "A1201", "period": ""}).content.decode()
    assert len(re.findall(r'href="/billing/bills/\d+/"', html)) == 2  # a unit search spans the months
    assert selectors.latest_period_with_bills(project=project) == "2026-10"


def test_the_latest_period_is_this_month_when_nothing_is_billed(project):
    assert selectors.latest_period_with_bills(project=project) == selectors.current_period()


def test_amounts_show_thousands_separators_and_rates_percentages(project, make_unit, staff, client):
    item = services.charge_item_save(project=project, code="big", name="商铺管理费", basis="per_m2", unit_price="88.00")
    shop = make_unit("101", floor=1, area="2529.39")
    UnitCharge.objects.create(unit=shop, item=item, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    big = shop.bills.get()
    services.payment_record(bill=big, amount="197147.20", method="transfer", user=staff["manager"])
    client.force_login(staff["manager"])
    home = client.get("/billing/", {"project": project.pk}).content.decode()
    assert "¥222,586.32" in home and "¥197,147.20" in home and "88.57 %" in home
    # the money received is 实收, not the work orders' "received" (受理时间), whose msgid is the same English word
    assert "<dt>实收</dt>" in home and "受理时间" not in home
    assert "222,586.32" in client.get("/billing/bills/", {"project": project.pk}).content.decode()
    detail = client.get(f"/billing/bills/{big.pk}/").content.decode()
    assert "¥222,586.32" in detail and "¥25,439.12" in detail
    assert 'value="25439.12"' in detail  # the pay form's amount is a plain number that posts back unchanged


# --- 3. receipts and the confirm step ---------------------------------------------------------

def test_recording_a_payment_asks_for_confirmation_first(bill, staff, client):
    client.force_login(staff["butler"])
    response = client.post(f"/billing/bills/{bill.pk}/pay", {"amount": "109.75", "method": "wechat",
                                                            "idempotency_key": "k1"})
    html = response.content.decode()
    assert response.status_code == 200 and "¥109.75" in html and "A-1201" in html and "2026-10" in html
    assert 'name="confirmed" value="yes"' in html and "<script" not in html.split("<main")[-1].split("</main>")[0]
    assert " onclick=" not in html and " onsubmit=" not in html
    assert not Payment.objects.exists()
    response = client.post(f"/billing/bills/{bill.pk}/pay", {"amount": "109.75", "method": "wechat",
                                                            "idempotency_key": "k1", "confirmed": "yes"}, follow=True)
    payment = Payment.objects.get()
    html = response.content.decode()
    assert f'href="/billing/payments/{payment.pk}/receipt.pdf"' in html and "00000001" in html
    bill.refresh_from_db()
    assert bill.paid == Decimal("109.75")


@pytest.mark.parametrize("amount", ["", "abc", "-5", "0", "NaN", "Infinity", "1e400"])
def test_a_bad_amount_is_refused_clearly_and_changes_nothing(amount, bill, staff, client):
    client.force_login(staff["butler"])
    response = client.post(f"/billing/bills/{bill.pk}/pay", {"amount": amount, "method": "cash", "confirmed": "yes",
                                                            "idempotency_key": "bad"}, follow=True)
    assert response.status_code == 200
    assert "金额" in response.content.decode()
    assert not Payment.objects.exists()


def test_an_unknown_method_is_refused(bill, staff, client):
    client.force_login(staff["butler"])
    response = client.post(f"/billing/bills/{bill.pk}/pay", {"amount": "1", "method": "bitcoin"}, follow=True)
    assert "收款方式" in response.content.decode() and not Payment.objects.exists()


def test_the_receipt_is_a_half_page_with_payer_items_capitals_cashier_and_seal(bill, resident, staff, client):
    cashier = staff["butler"]
    cashier.first_name, cashier.last_name = "小红", "王"
    cashier.save()
    payment = services.payment_record(bill=bill, amount="309.75", method="wechat", user=cashier)
    client.force_login(staff["manager"])
    response = client.get(f"/billing/payments/{payment.pk}/receipt.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    width, height = (round(float(v)) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == (595, 420) and len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("收款收据", "00000001", "交款人", "张三", "A-1201", "2026-", "物业管理费", "2026-10", "¥309.75",
                     "人民币叁佰零玖元柒角伍分", "微信", "收款人", "王小红", "盖章"):
        assert expected in text, expected
    assert "butler" not in text


def test_the_receipt_of_a_unit_without_residents_names_the_unit(bill, staff, client):
    payment = services.payment_record(bill=bill, amount="9.75", method="cash", user=staff["butler"])
    client.force_login(staff["manager"])
    text = PdfReader(io.BytesIO(client.get(f"/billing/payments/{payment.pk}/receipt.pdf").content)).pages[0].extract_text()
    assert "A-1201" in text and "人民币玖元柒角伍分" in text and "butler" not in text


# --- 4. denials -------------------------------------------------------------------------------

def test_residents_and_posts_without_billing_get_the_sites_403(bill, staff, resident_user, client, project):
    payment = services.payment_record(bill=bill, amount="9.75", method="cash", user=staff["butler"])
    urls = ["/billing/", "/billing/bills/", f"/billing/bills/{bill.pk}/", "/billing/arrears/", "/billing/cash-up/",
            f"/billing/runs/{bill.run_id}/", f"/billing/bills/{bill.pk}/notice.pdf",
            f"/billing/payments/{payment.pk}/receipt.pdf"]
    outsider = UserFactory(username="outsider")
    for user in (resident_user, staff["engineer"], outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user.username, url)
        assert client.post(f"/billing/bills/{bill.pk}/pay", {"amount": "1", "method": "cash",
                                                            "confirmed": "yes"}).status_code == 403
        assert client.post("/billing/runs/", {"project": project.pk, "period": "2026-12"}).status_code == 403
    assert Payment.objects.count() == 1


def test_a_post_that_sees_bills_but_may_not_collect_gets_403_on_pay(bill, staff, client, project):
    viewer = UserFactory(username="viewer")
    hold(viewer, "archivist", project)
    from dutydesk.org import access
    if not access.has_perm(viewer, "billing.view") or access.has_perm(viewer, "billing.collect"):
        pytest.skip("the archivist post's billing permissions changed")
    client.force_login(viewer)
    assert client.get(f"/billing/bills/{bill.pk}/").status_code == 200
    assert client.post(f"/billing/bills/{bill.pk}/pay", {"amount": "1", "method": "cash",
                                                        "confirmed": "yes"}).status_code == 403
    assert not Payment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/billing/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- 5. inputs round-trip ---------------------------------------------------------------------

def test_date_inputs_show_iso_dates_that_post_back_unchanged(bill, staff, client, project):
    client.force_login(staff["manager"])
    html = client.get("/billing/arrears/", {"project": project.pk, "as_of": "2026-11-24"}).content.decode()
    assert 'name="as_of" value="2026-11-24"' in html
    html = client.get("/billing/cash-up/", {"project": project.pk, "date": "2026-11-03"}).content.decode()
    assert 'name="date" value="2026-11-03"' in html and "2026/11" not in html


def test_the_pay_amount_shown_posts_back_to_exactly_the_balance(bill, staff, client):
    client.force_login(staff["butler"])
    html = client.get(f"/billing/bills/{bill.pk}/").content.decode()
    shown = re.search(r'id="pay-amount" value="([^"]+)"', html)[1]
    client.post(f"/billing/bills/{bill.pk}/pay", {"amount": shown, "method": "cash", "confirmed": "yes",
                                                 "idempotency_key": "rt"})
    bill.refresh_from_db()
    assert bill.balance == 0 and bill.paid == Decimal("309.75")


# --- 6. panels ---------------------------------------------------------------------------------

class _Request:
    def __init__(self, user):
        self.user = user
        self.META = {}


def _render(slot, user, **kwargs):
    from django.test import RequestFactory
    request = RequestFactory().get("/")
    request.user = user
    return str(panels.render_panels(slot, request, **kwargs))


def test_the_unit_panel_shows_the_last_six_periods_and_the_balance(bill, billed_unit, staff, project):
    for period in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-11"):
        services.bill_run_create(project=project, period=period)
    html = _render("unit", staff["butler"], unit=billed_unit)
    assert 'id="billing-panel"' in html and "2026-11" in html and "2026-06" in html and "2026-05" not in html
    assert "欠费合计：" in html and "¥2,478.00" in html  # 8 bills × 309.75 unpaid
    assert "/billing/bills/?project=" in html


def test_the_unit_panel_is_hidden_from_posts_without_billing_and_other_floors(bill, billed_unit, staff, make_unit):
    assert 'billing-panel' not in _render("unit", staff["engineer"], unit=billed_unit)
    assert 'billing-panel' not in _render("unit", staff["butler"], unit=make_unit("2501", floor=25))


def _render_billing_unit_panel(user, unit):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from dutydesk.billing.panels import unit_bills
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("billing/panels/units.html", {"unit": unit, **unit_bills(request, unit=unit)})


def test_the_unit_panel_queries_are_bounded(bill, billed_unit, staff, project):
    _render_billing_unit_panel(staff["manager"], billed_unit)  # the user's posts are cached on the user
    with CaptureQueriesContext(connection) as small:
        _render_billing_unit_panel(staff["manager"], billed_unit)
    for period in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"):
        services.bill_run_create(project=project, period=period)
    with CaptureQueriesContext(connection) as large:
        html = _render_billing_unit_panel(staff["manager"], billed_unit)
    assert "2026-09" in html
    assert len(large) == len(small) <= 3
    # every panel of the unit page together (tickets, bills, registers): bounded, and the context
    # processors are not run again for each panel
    _render("unit", staff["manager"], unit=billed_unit)
    with CaptureQueriesContext(connection) as whole:
        _render("unit", staff["manager"], unit=billed_unit)
    assert len(whole) <= 8 and not any("core_notification" in q["sql"] for q in whole.captured_queries)


def test_the_resident_panel_covers_each_home_of_the_resident(bill, resident, staff, project, make_unit, mgmt_fee):
    second = make_unit("305", floor=3)
    ResidentFactory(unit=second, name="张三", phone=resident.phone)
    UnitCharge.objects.create(unit=second, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    html = _render("resident", staff["manager"], resident=resident)
    assert "A-1201" in html and "A-305" in html
    assert 'billing-panel' not in _render("resident", staff["engineer"], resident=resident)


def test_the_intake_panel_is_compact_and_says_whether_the_caller_owes(bill, billed_unit, staff, make_unit):
    html = _render("intake", staff["frontdesk"], unit=billed_unit)
    assert "¥309.75" in html and "欠费" in html
    assert _render("intake", staff["frontdesk"], unit=None) == ""
    empty = make_unit("303", floor=3)
    assert "无欠费" in _render("intake", staff["frontdesk"], unit=empty)


def test_the_home_panel_shows_the_butlers_floors_and_the_managers_project(bill, staff, project, make_unit, mgmt_fee):
    far = make_unit("2501", floor=25, area="88.50")
    UnitCharge.objects.create(unit=far, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    november = Bill.objects.get(unit=bill.unit, period="2026-11")
    services.payment_record(bill=november, amount="309.75", method="cash", user=staff["butler"])
    butler = _render("home", staff["butler"])
    assert "A 栋 1–15 层" in butler and "100.00 %" in butler and "2026-11" in butler
    assert "<td class=\"num\">1</td>" in butler  # October's bill of A-1201 is overdue and unpaid
    manager = _render("home", staff["manager"])
    assert "阳光花园" in manager and "50.00 %" in manager and "95.00 %" in manager
    assert 'billing-home' not in _render("home", staff["engineer"])
    viewer = UserFactory(username="viewer")
    hold(viewer, "archivist", project)  # sees bills, collects nothing
    assert 'billing-home' not in _render("home", viewer)


def test_the_home_panel_of_a_manager_of_several_projects_reads_their_rates_together(bill, staff, project, mgmt_fee):
    """A manager of three projects: each project's rate of its own latest month (西园 billed up to November, the
    others October), the months and the rates read for all projects together: a fourth project adds no statement."""
    from tests.factories import ProjectFactory

    from dutydesk.billing.models import ChargeItem

    def billed_project(name, periods, pay):
        other = ProjectFactory(organisation=project.organisation, name=name)
        fee = services.charge_item_save(project=other, code="mgmt", name="物业管理费", basis="per_unit",
                                        unit_price="200.00", kind=ChargeItem.Kind.MANAGEMENT)
        unit = UnitFactory(building=BuildingFactory(project=other, name="A"), floor=1, number="101",
                           area_m2=Decimal("50.00"))
        UnitCharge.objects.create(unit=unit, item=fee, start=date(2020, 1, 1))
        for period in periods:
            services.bill_run_create(project=other, period=period)
        latest = Bill.objects.get(unit=unit, period=periods[-1])
        if pay:
            services.payment_record(bill=latest, amount=pay, method="cash", user=staff["manager"])
        hold(staff["manager"], "cs-manager", other)
        return other

    manager = staff["manager"]
    billed_project("西园", ["2026-10", "2026-11"], "50.00")
    _render("home", manager)
    with CaptureQueriesContext(connection) as two:
        html = _render("home", manager)
    rows = {re.sub(r"<[^>]+>|\s+", " ", row).split()[0]: row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
            if "%" in row}
    assert "2026-11" in rows["西园"] and "25.00 %" in rows["西园"]  # 50 of November's 200
    assert "2026-10" in rows["阳光花园"] and "0.00 %" in rows["阳光花园"]
    billed_project("东苑", ["2026-10"], "200.00")
    _render("home", manager)
    with CaptureQueriesContext(connection) as three:
        html = _render("home", manager)
    assert "东苑" in html and "100.00 %" in html
    billing = [q for q in three.captured_queries if '"billing_bill"' in q["sql"]]
    assert len(billing) == len([q for q in two.captured_queries if '"billing_bill"' in q["sql"]])


def test_the_home_panel_figures_each_floor_range_of_a_butler_in_a_constant_number_of_queries(
        bill, staff, project, make_unit, mgmt_fee):
    """One row per building/floor range, each its own units' figures; two grouped queries for all of them (a butler of
    19 ranges sent 57 statements for this panel, scripts/bench_crawl.py at 600,000 units)."""
    butler = staff["butler"]  # A 1–15F; A-1201 owes October's bill
    _render("home", butler)
    with CaptureQueriesContext(connection) as one_range:
        _render("home", butler)
    upstairs = make_unit("2501", floor=25, area="88.50")
    UnitCharge.objects.create(unit=upstairs, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    services.payment_record(bill=Bill.objects.get(unit=upstairs, period="2026-11"), amount="100.00", method="cash",
                            user=butler)
    hold(butler, "floor-butler", project, building=bill.unit.building, floor_from=20, floor_to=30)
    hold(butler, "floor-butler", project, building=BuildingFactory(project=project, name="Z"), floor_from=1, floor_to=9)
    _render("home", butler)
    with CaptureQueriesContext(connection) as three_ranges:
        html = _render("home", butler)
    assert len(three_ranges) == len(one_range)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", " ", row).split() for row in rows if "栋" in row]
    # A 1–15F: A-1201's November unpaid (0 %), October overdue; A 20–30F: A-2501 paid 100.00 of 309.75; Z: nothing
    assert [t[:4] for t in texts] == [["A", "栋", "1–15", "层"], ["A", "栋", "20–30", "层"], ["Z", "栋", "1–9", "层"]]
    assert "0.00 %" in rows[1] and "32.28 %" in "".join(rows) and "—" in rows[-1]


# --- 8. Chinese pages ---------------------------------------------------------------------------

RAW_CODES = re.compile(r"billing\.\w+|\b(per_m2|metered|partial|wechat|alipay|transfer|cash|open|paid)\b(?![\"'=])")


def test_billing_pages_in_chinese_show_no_codes_or_english(bill, staff, client, project, resident_user):
    services.payment_record(bill=bill, amount="9.75", method="wechat", user=staff["butler"])
    dunning = services.dunning_run_create(project=project, on=date(2026, 11, 25))
    dunning = dunning[0] if isinstance(dunning, tuple) else dunning
    pages = [(staff["manager"], url) for url in (
        "/billing/", "/billing/bills/", f"/billing/bills/{bill.pk}/", "/billing/arrears/", "/billing/cash-up/",
        f"/billing/runs/{bill.run_id}/", f"/billing/dunning/{dunning.pk}/")] + [(resident_user, "/portal/billing/")]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url, {"project": project.pk}).content.decode()
        main = html.split("<main", 1)[-1].split(">", 1)[-1].split("</main>")[0]
        main = re.sub(r"<[^>]+>", " ", main)
        main = re.sub(r"&[a-z#0-9]+;", " ", main)
        words = set(re.findall(r"\b[A-Za-z]{3,}\b", main)) - {"PDF", "Excel", "YYYY"}
        assert not words, (url, words)
        assert "manager" not in main and "butler" not in main, url
        assert not re.search(r"[\u4e00-\u9fff][:,;?!]", main), url  # Chinese punctuation after Chinese text


def test_the_fee_notice_prints_thousands_separators_and_the_total_in_capitals(project, make_unit, staff, client):
    item = services.charge_item_save(project=project, code="big", name="商铺管理费", basis="per_m2", unit_price="88.00")
    shop = make_unit("101", floor=1, area="2529.39")
    UnitCharge.objects.create(unit=shop, item=item, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    client.force_login(staff["manager"])
    response = client.get(f"/billing/bills/{shop.bills.get().pk}/notice.pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "¥222,586.32" in text and "人民币贰拾贰万贰仟伍佰捌拾陆元叁角贰分" in text


def test_a_butlers_own_cards_read_by_their_units_ids_give_the_figures_of_their_floors(bill, staff, project, make_unit,
                                                                                      mgmt_fee):
    """The home page's KPI cards of one butler read their floors by their units' ids (``Cards.covering``); the same
    card computed by building/floor ranges, as the scorecards report does, gives the same figures."""
    from dutydesk.core.periods import Period
    from dutydesk.duties.scorecards import scorecard, scorecards
    from dutydesk.org.models import Post

    butler = staff["butler"]  # A 1–15F: A-1201
    upstairs = make_unit("2501", floor=25, area="88.50")  # not theirs
    UnitCharge.objects.create(unit=upstairs, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    services.payment_record(bill=Bill.objects.get(unit=bill.unit, period="2026-11"), amount="100.00", method="cash",
                            user=butler)
    services.payment_record(bill=Bill.objects.get(unit=upstairs, period="2026-11"), amount="309.75", method="cash",
                            user=butler)
    november = Period.parse("2026-11")
    with CaptureQueriesContext(connection) as by_ids:
        (card,) = scorecards(project=project, period=november, user=butler)
    by_ranges = scorecard(post=Post.objects.get(code="floor-butler"), project=project, period=november, user=butler)
    actuals = {row.kpi.code: row.actual for row in card.rows}
    assert actuals == {row.kpi.code: row.actual for row in by_ranges.rows}
    assert actuals["collection_rate"] == Decimal("32.28")  # 100.00 of A-1201's 309.75; A-2501's payment is not theirs
    bills_read = [q["sql"] for q in by_ids.captured_queries if '"billing_bill"' in q["sql"]]
    assert bills_read and not any('"floor" >=' in sql for sql in bills_read)
