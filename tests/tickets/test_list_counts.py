"""Bounded counting (issue 11): a list is never counted past COUNT_CAP; under the cap the figure is exact."""
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core import paging
from dutydesk.tickets.models import Ticket


def test_tabs_and_the_list_count_exactly_under_the_cap_and_say_more_above_it(staff, make_ticket, client, monkeypatch):
    for number in range(6):
        make_ticket(title=f"漏水 {number}")
    client.force_login(staff["frontdesk"])
    html = client.get("/tickets/", {"q": "mine"}).content.decode()
    assert re.search(r'id="tab-mine">[^<]*<span class="pill">6</span>', html) and "6 张工单" in html

    # the work-order list and its tabs count to BADGE_CAP (the open tab's badge is the list's own count)
    monkeypatch.setattr(paging, "BADGE_CAP", 4)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/tickets/", {"q": "mine"}).content.decode()
    assert re.search(r'id="tab-mine">[^<]*<span class="pill">4\+</span>', html)
    assert "4+ 张工单" in html and "缩小" in html
    assert all(f"漏水 {number}" in html for number in range(6))  # the rows themselves are all still listed
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "tickets_ticket" in q["sql"]]
    # the 4 other tabs in one statement, the list in its own; each count bounded
    assert len(counts) == 2 and len(re.findall(r"LIMIT 5\b", " ".join(counts))) == 5, counts

    # a filter narrows the list, not the tab: the tab is then counted on its own
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/tickets/", {"q": "mine", "search": "漏水 3"}).content.decode()
    assert "1 张工单" in html and re.search(r'id="tab-mine">[^<]*<span class="pill">4\+</span>', html)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "tickets_ticket" in q["sql"]]
    assert len(counts) == 2 and len(re.findall(r"LIMIT 5\b", " ".join(counts))) == 6, counts  # 5 tabs + the list


def test_other_lists_keep_the_larger_cap(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 7)
    monkeypatch.setattr(paging, "BADGE_CAP", 2)
    assert paging.BoundedPaginator(Ticket.objects.none(), 50).cap == 7
    from dutydesk.core.templatetags.paging import badge, bounded
    assert (bounded(8), bounded(7), badge(3), badge(2)) == ("7+", "7", "2+", "2")


def test_bounded_count_is_exact_under_the_cap(staff, make_ticket, monkeypatch):
    for number in range(3):
        make_ticket(title=f"漏水 {number}")
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    assert paging.bounded_count(Ticket.objects.all()) == 3 and not paging.is_capped(3)
    make_ticket(title="再一张")
    assert paging.bounded_count(Ticket.objects.all()) == 4 and paging.is_capped(4)


def test_the_home_panel_counts_its_queues_bounded_like_the_tabs(staff, make_ticket, client, monkeypatch):
    """The home page's work-order buttons counted every row (found by scripts/loadtest at 200,000 work orders)."""
    for number in range(6):
        make_ticket(title=f"漏水 {number}")
    client.force_login(staff["frontdesk"])
    html = client.get("/").content.decode()
    assert re.search(r'href="/tickets/\?q=mine">[^<]*<span class="pill">6</span>', html)

    monkeypatch.setattr(paging, "BADGE_CAP", 4)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert re.search(r'href="/tickets/\?q=mine">[^<]*<span class="pill">4\+</span>', html)
    # the panel's four counts (work, post, mine, overdue), in one statement, stop at the cap
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT (SELECT COUNT(*)")
              and "tickets_ticket" in q["sql"]]
    assert len(counts) == 1 and counts[0].count("SELECT COUNT(*)") == 4 == len(re.findall(r"LIMIT 5\b", counts[0]))


def test_badge_counts_in_one_statement_bounded_and_zero_for_what_can_match_nothing(staff, make_ticket, monkeypatch,
                                                                                 django_assert_num_queries):
    for number in range(3):
        make_ticket(title=f"漏水 {number}")
    monkeypatch.setattr(paging, "BADGE_CAP", 2)
    with django_assert_num_queries(1):
        counts = paging.badge_counts({"all": Ticket.objects.all(), "one": Ticket.objects.filter(title="漏水 1"),
                                      "none": Ticket.objects.filter(pk__in=[]), "nothing": Ticket.objects.none()})
    assert counts == {"all": 3, "one": 1, "none": 0, "nothing": 0}  # 3 = "more than 2"
    with django_assert_num_queries(0):
        assert paging.badge_counts({"none": Ticket.objects.filter(pk__in=[])}) == {"none": 0}
