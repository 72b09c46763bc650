"""The lists and pages cost the same number of queries for 2 rows or 40 (no query per row)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.stock import services
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
