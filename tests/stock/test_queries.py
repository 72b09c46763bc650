"""The lists and pages cost the same number of queries for 2 rows or 40 (no query per row)."""
import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dutydesk.core import clock
from dutydesk.inbox.models import Task
from dutydesk.stock import jobs, services
from tests.stock.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_store(store, keeper, receive):
    """20 items, each received twice (one passed, one pending), issued and counted."""
    for n in range(20):
        item = services.item_save(project=store, code=f"A{n:03d}", name=f"商品{n}", unit="个", bin=f"C-{n:02d}",
                                  safety_stock="5")
        receive(item, 10, on=days_ago(1), batch=f"B{n}-1")
        receive(item, 3, batch=f"B{n}-2", inspect=None)
        services.issue_record(project=store, item=item, quantity="6", to="卖场", issued_by=keeper)
        services.count_record(project=store, item=item, counted="4", counted_by=keeper)
    return store


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return len(captured)


@pytest.mark.parametrize("path", ["/api/v1/stock/items/", "/api/v1/stock/receipts", "/api/v1/stock/issues",
                                  "/api/v1/stock/counts", "/api/v1/stock/levels", "/api/v1/stock/ledger"])
def test_api_lists_cost_the_same_for_two_rows_or_forty(api, keeper, busy_store, path):
    client = api(keeper)
    joiner = "&" if "?" in path else "?"
    small = _queries(lambda: client.get(f"{path}{joiner}project={busy_store.pk}&page_size=2"))
    large = _queries(lambda: client.get(f"{path}{joiner}project={busy_store.pk}&page_size=200"))
    assert small == large, (small, large)


@pytest.mark.parametrize("path", ["/stock/", "/stock/receive/", "/stock/pending/", "/stock/issue/", "/stock/count/",
                                  "/stock/ledger/", "/stock/slips/"])
def test_pages_take_a_bounded_number_of_queries(client, keeper, sm_supervisor, busy_store, path,
                                                django_assert_max_num_queries):
    client.force_login(sm_supervisor if path == "/stock/slips/" else keeper)
    with django_assert_max_num_queries(25):
        response = client.get(f"{path}?project={busy_store.pk}")
    assert response.status_code == 200


def test_the_item_page_shows_its_batches_and_history(client, keeper, busy_store, django_assert_max_num_queries):
    item = busy_store.stock_items.get(code="A003")
    client.force_login(keeper)
    with django_assert_max_num_queries(25):
        response = client.get(f"/stock/items/{item.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "B3-1" in html and "B3-2" in html and "C-03" in html



def _add_items(first, last, store, keeper, receive):
    """Items ``first``…``last - 1``, each with a passed batch that expires today and a newer one issued from, below
    its safety stock."""
    for n in range(first, last):
        item = services.item_save(project=store, code=f"Q{n:03d}", name=f"货品{n}", unit="个", safety_stock="50",
                                  shelf_life_days=30)
        receive(item, 8, on=days_ago(40), batch=f"Q{n}-old", expires_on=days_ago(0))
        receive(item, 10, on=days_ago(1), batch=f"Q{n}-new")
        services.issue_record(project=store, item=item, quantity="4", to="卖场", issued_by=keeper)


def _counted(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_daily_check_costs_the_same_for_two_items_or_six(store, keeper, receive):
    """The job flagged each expired batch and alerted each item one at a time: a query or four per row (at 10^5
    receipts, 361 rows of work in 13 queries now: scripts/bench_modules.py)."""
    now = clock.at(clock.today(), "09:00")

    def checked(items):
        Task.objects.all().delete()
        with transaction.atomic():
            queries = _counted(lambda: jobs.daily_check.func(now, store))
            assert Task.objects.filter(source="stock.expired").count() == items
            assert Task.objects.filter(source="stock.below_safety").count() == items
            transaction.set_rollback(True)
        return queries

    _add_items(0, 2, store, keeper, receive)
    few = checked(2)
    _add_items(2, 6, store, keeper, receive)
    assert checked(6) == few


@pytest.mark.parametrize("path", ["/stock/", "/stock/receive/", "/stock/issue/", "/stock/count/", "/stock/ledger/",
                                  "/stock/ledger/?from={month_ago}"])
def test_the_item_pages_cost_the_same_for_two_items_or_six(client, store, keeper, receive, path):
    client.force_login(keeper)
    url = f"{path.format(month_ago=days_ago(30))}{'&' if '?' in path else '?'}project={store.pk}"

    def listed():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _add_items(0, 2, store, keeper, receive)
    few = listed()
    _add_items(2, 6, store, keeper, receive)
    assert listed() == few


def test_the_ledger_counts_the_opening_stock_back_from_the_books(api, keeper, clerk, store, receive):
    """The opening stock is the books less what moved since: a month back it is what was in stock then."""
    item = services.item_save(project=store, code="L1", name="矿泉水", unit="箱")
    receive(item, 30, on=days_ago(20), batch="L-1")
    with time_machine.travel(clock.at(days_ago(10), "15:00"), tick=False):
        services.issue_record(project=store, item=item, quantity="12", to="卖场", issued_by=keeper)
    receive(item, 5, on=days_ago(5), batch="L-2")
    response = api(clerk).get(f"/api/v1/stock/ledger?project={store.pk}&item={item.pk}&from={days_ago(15)}"
                              f"&to={days_ago(10)}")
    rows = [(r["date"], r["opening"], r["issued"], r["closing"]) for r in response.json()["results"]]
    assert rows[0] == (str(days_ago(15)), "30.000", "0.000", "30.000")
    assert rows[-1] == (str(days_ago(10)), "30.000", "12.000", "18.000")
    page = api(clerk).get(f"/api/v1/stock/ledger?project={store.pk}&from={days_ago(6)}&to={days_ago(4)}"
                          f"&page_size=1&page=2").json()
    assert page["count"] == 3 and page["results"][0]["opening"] == "18.000"
    assert page["results"][0]["received"] == "5.000" and page["results"][0]["closing"] == "23.000"
