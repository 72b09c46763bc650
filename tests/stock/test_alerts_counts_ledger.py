"""Safety-stock alerts, expiry flagging, stocktakes, the 三级数量帐 and the stores' KPI."""
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.inbox.models import Task
from dutydesk.org import kpis
from dutydesk.org.models import KPI
from dutydesk.stock import jobs, selectors, services
from dutydesk.stock.models import Receipt
from tests.stock.conftest import days_ago
from tests.support.jobs import sheet_rows

pytestmark = pytest.mark.django_db


def _issue(item, quantity, user):
    return services.issue_record(project=item.project, item=item, quantity=quantity, to="卖场", issued_by=user)


def test_falling_below_safety_stock_puts_a_task_in_the_keepers_inbox_once_a_day(keeper, milk, receive):
    """seeds/002_59da8478c28f7f86.txt:874 若产品数量一旦出现紧缺立即向上级汇报."""
    receive(milk, 12, batch="M-1")
    _issue(milk, 2, keeper)  # 10 left: at the safety stock, not below
    assert not Task.objects.filter(source="stock.below_safety").exists()
    _issue(milk, 3, keeper)
    _issue(milk, 1, keeper)
    task = Task.objects.get(source="stock.below_safety")
    assert task.post.code == "sm-warehouse-keeper" and task.project_id == milk.project_id
    assert "百利包纯牛奶" in task.title and "7" in task.title and task.url.startswith("/stock/")
    with time_machine.travel(clock.now() + timedelta(days=1)):
        _issue(milk, 1, keeper)
    assert Task.objects.filter(source="stock.below_safety").count() == 2  # a new day, a new reminder


def test_the_daily_check_flags_expired_batches_and_alerts_once(keeper, milk, rice, receive):
    receive(milk, 20, on=days_ago(30), batch="M-OLD", expires_on=days_ago(0))
    receive(rice, 5, batch="R-1")
    now = clock.at(clock.today(), "09:00")

    assert jobs.daily_check(now) == 2  # the expired batch, and milk now below its safety stock (0 available)
    assert jobs.daily_check(now) == 0  # once a day
    batch = Receipt.objects.get(batch="M-OLD")
    assert batch.expired_flagged_at is not None and batch.remaining == Decimal("20")  # flagged, not removed
    expired = Task.objects.get(source="stock.expired")
    assert expired.post.code == "sm-warehouse-keeper" and "M-OLD" in expired.title
    levels = {row.code: row for row in selectors.levels(items=milk.project.stock_items.all())}
    assert (levels["M001"].on_hand, levels["M001"].expired, levels["M001"].below_safety) == (0, 20, True)


def test_a_stocktake_records_the_book_the_count_and_the_difference(api, keeper, store, milk, receive):
    receive(milk, 12, batch="M-1")
    receive(milk, 3, batch="M-2", inspect=None)  # pending goods are not on the books yet
    response = api(keeper).post("/api/v1/stock/counts", {"project": store.pk, "item": milk.pk, "counted": "11",
                                                        "note": "一箱破损"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["book"], response.json()["counted"], response.json()["difference"]) == (
        "12.000", "11.000", "-1.000")
    assert Receipt.objects.get(batch="M-1").remaining == Decimal("12")  # the books are not changed by a count
    bad = api(keeper).post("/api/v1/stock/counts", {"project": store.pk, "item": milk.pk, "counted": "-1"},
                           format="json")
    assert bad.status_code == 400 and "counted" in bad.json()["errors"]


def test_the_stock_count_accuracy_kpi_is_the_share_of_counts_matching_the_books(keeper, store, milk, rice, receive):
    receive(milk, 12, batch="M-1")
    receive(rice, 10, batch="R-1")
    services.count_record(project=store, item=milk, counted="12", counted_by=keeper)
    services.count_record(project=store, item=rice, counted="9.5", counted_by=keeper)
    kpi = KPI.objects.get(post__code="sm-warehouse-keeper", code="stock_accuracy")
    assert kpi.source == "stock_count_accuracy"
    period = Period.parse(clock.today().strftime("%Y-%m"))
    assert kpis.measure(kpi, keeper, store, period).actual == Decimal("50.00")
    assert kpis.measure(kpi, None, store, period).actual == Decimal("50.00")  # the post's card
    last_month = period.previous()
    assert kpis.measure(kpi, keeper, store, last_month).actual is None  # no stocktakes: no data, not zero


def test_the_three_level_ledger_adds_up_per_item_and_day(api, keeper, clerk, store, milk, rice, receive):
    """seeds/000_d44081c6db2527f0.txt:33: 三级数量帐 — 库存量、销售量、进货量 per day."""
    receive(milk, 12, on=days_ago(2), batch="M-1")
    receive(milk, 5, on=days_ago(2), batch="M-X", inspect="rejected")  # never stock
    with time_machine.travel(clock.at(days_ago(1), "15:00"), tick=False):
        _issue(milk, 4, keeper)
    receive(milk, 6, on=days_ago(1), batch="M-2")
    receive(milk, 2, on=days_ago(0), batch="M-3", inspect=None)  # pending: not stock yet
    start = days_ago(2)
    response = api(clerk).get(f"/api/v1/stock/ledger?project={store.pk}&from={start}&to={days_ago(0)}&item={milk.pk}")
    assert response.status_code == 200, response.content
    rows = [(r["date"], r["opening"], r["received"], r["issued"], r["closing"]) for r in response.json()["results"]]
    assert rows == [(str(days_ago(2)), "0.000", "12.000", "0.000", "12.000"),
                    (str(days_ago(1)), "12.000", "6.000", "4.000", "14.000"),
                    (str(days_ago(0)), "14.000", "0.000", "0.000", "14.000")]
    everything = api(clerk).get(f"/api/v1/stock/ledger?project={store.pk}&from={start}").json()
    assert everything["count"] == 6  # both items, three days
    too_long = api(clerk).get(f"/api/v1/stock/ledger?project={store.pk}&from=2020-01-01&to=2020-12-31")
    assert too_long.status_code == 400 and "to" in too_long.json()["errors"]


def test_a_ledger_page_reads_the_same_rows_as_the_whole_walk(keeper, store, milk, rice, receive):
    """A page reads only its own items' movements from its first day on; whatever the cut (mid-day, across days,
    one row), its rows are the rows the export's walk over the whole window gives. A retired item is listed while
    it held stock or moved in the window, and not otherwise."""
    soap = services.item_save(project=store, code="S001", name="香皂", unit="块")
    gone = services.item_save(project=store, code="G001", name="停售饮料", unit="瓶")
    never = services.item_save(project=store, code="N001", name="未进货", unit="个")
    receive(milk, 12, on=days_ago(9), batch="M-1")
    receive(rice, 50, on=days_ago(4), batch="R-1")
    receive(gone, 8, on=days_ago(6), batch="G-1")
    receive(soap, 3, on=days_ago(1), batch="S-1")
    for back, item, quantity in [(5, milk, 4), (3, milk, 2), (3, rice, 10), (2, gone, 8), (0, rice, 5)]:
        with time_machine.travel(clock.at(days_ago(back), "15:00"), tick=False):
            _issue(item, quantity, keeper)
    for retired in (gone, never):
        services.item_save(project=store, item=retired, code=retired.code, name=retired.name, unit=retired.unit,
                           active=False)
    ledger = selectors.ledger(project=store, start=days_ago(7), end=days_ago(0))
    walked = list(ledger)
    assert [row.item.code for row in walked[:4]] == ["G001", "M001", "R001", "S001"]  # N001: retired, never moved
    assert len(ledger) == len(walked) == 8 * 4
    by_day_and_item = {(row.day, row.item.code): row for row in walked}
    assert by_day_and_item[(days_ago(3), "M001")].opening == Decimal("8")
    assert by_day_and_item[(days_ago(3), "R001")].issued == Decimal("10")
    assert by_day_and_item[(days_ago(2), "G001")].closing == 0
    assert by_day_and_item[(days_ago(0), "R001")].closing == Decimal("35")
    for size in (1, 3, 4, 5, 7, 32):
        paged = [row for first in range(0, len(ledger), size) for row in ledger[first:first + size]]
        assert paged == walked, size
    assert ledger[-1] == walked[-1] and ledger[13] == walked[13]
    later = selectors.ledger(project=store, start=days_ago(1), end=days_ago(0))
    assert "G001" not in {row.item.code for row in later}  # sold out before the window, no movement in it


def test_the_ledger_exports_to_excel(client, clerk, store, milk, receive):
    receive(milk, 12, batch="M-1")
    client.force_login(clerk)
    response = client.get(f"/stock/ledger.xlsx?project={store.pk}")
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0][:3] == ["日期", "货号", "品名"] and rows[1][1:4] == ["M001", "百利包纯牛奶", "箱"]
    assert [Decimal(str(v)) for v in rows[1][5:9]] == [0, 12, 0, 12]


def test_the_ledger_export_never_writes_a_formula(client, keeper, store):
    services.item_save(project=store, code="F1", name="=HYPERLINK(\"http://x\")", unit="个")
    client.force_login(keeper)
    response = client.get(f"/stock/ledger.xlsx?project={store.pk}")
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet


def test_the_levels_show_what_is_below_its_safety_stock(api, keeper, store, milk, rice, receive):
    receive(milk, 5, batch="M-1")
    receive(rice, 5, batch="R-1")
    below = api(keeper).get(f"/api/v1/stock/levels?project={store.pk}&below_safety=true").json()["results"]
    assert [row["code"] for row in below] == ["M001"]  # rice has no safety stock
    assert selectors.available_quantity(item=milk) == Decimal("5")
