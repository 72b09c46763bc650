"""The ledger export as a background job (issue 11): with a worker pool the page's button queues it and opens the
job's page; the file is the one the direct download gives; only holders of stock.view in that store download it."""
import pytest

from dutydesk.core.models import BackgroundJob
from tests.stock.conftest import days_ago
from tests.support.jobs import page_flow, sheet_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_pool(monkeypatch):
    monkeypatch.setattr("dutydesk.stock.views.runs_in_background", lambda: True)


def test_the_ledger_export_with_a_worker_pool_opens_the_jobs_page(client, clerk, keeper, other_keeper, store, milk,
                                                                  rice, receive, worker_pool,
                                                                  django_capture_on_commit_callbacks):
    receive(milk, 12, on=days_ago(2), batch="M-1")
    receive(rice, 30, on=days_ago(1), batch="R-1")
    client.force_login(clerk)
    page = client.get(f"/stock/ledger/?project={store.pk}").content.decode()
    assert 'action="/stock/ledger/export/" id="ledger-export-job"' in page and "/stock/ledger.xlsx" not in page
    assert '<button form="ledger-export-job" id="ledger-export">' in page  # in the toolbar, beside "Show"
    wanted = {"project": store.pk, "from": str(days_ago(2)), "to": str(days_ago(0))}
    done, download = page_flow(client, "/stock/ledger/export/", wanted, django_capture_on_commit_callbacks)
    assert "三级数量帐导出" in done and f'href="/stock/ledger/?project={store.pk}&amp;from={days_ago(2)}' in done
    queued = sheet_rows(client.get(download))
    direct = sheet_rows(client.get("/stock/ledger.xlsx", {**wanted}))
    assert queued == direct and len(queued) == 1 + 3 * 2  # header, two items over three days
    assert queued[-1][1] == "R001" and queued[-1][-1] == 30
    client.force_login(keeper)  # the store's keeper holds stock.view there too
    assert client.get(download).status_code == 200
    client.force_login(other_keeper)  # another store's keeper
    assert client.get(download).status_code == 403


def test_a_ledger_export_job_needs_the_right_and_good_dates(client, clerk, other_keeper, store, worker_pool):
    client.force_login(other_keeper)
    assert client.post("/stock/ledger/export/", {"project": store.pk}).status_code == 403
    assert client.post("/stock/ledger/export/", {"project": "x"}).status_code == 404
    client.force_login(clerk)
    bad = client.post("/stock/ledger/export/", {"project": store.pk, "from": "2020-01-01", "to": "2020-12-31"},
                      follow=True)
    assert bad.status_code == 200 and "62" in bad.content.decode()  # at most 62 days at once
    assert not BackgroundJob.objects.exists()
