"""The queues' table (tickets/table.py): rows read as values and written in Python. What each cell says, escaped,
in both languages, at a constant number of queries."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dutydesk.core import clock
from dutydesk.org.models import Post
from dutydesk.tickets.models import Ticket, TicketCategory
from tests.factories import UnitFactory


def _row(html, number):
    """The ``<tr>`` of the ticket numbered ``number``."""
    match = re.search(rf"<tr[^>]*><td><a href=\"[^\"]+\">{re.escape(number)}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {number}"
    return match.group(0)


@pytest.fixture
def odd_ticket(staff, make_ticket, project):
    """An urgent, overdue, escalated ticket whose title, category and posts carry markup."""
    category = TicketCategory.objects.create(project=project, code="odd", name="<i>水电</i>", name_en="<i>Utilities</i>")
    ticket = make_ticket(kind="repair", priority="urgent", title='<script>alert("x")</script>', category=category)
    post = Post.objects.get(code="cs-supervisor")
    Ticket.objects.filter(pk=ticket.pk).update(
        status="dispatched", assignee=None, assigned_post=post, escalation_level=2, escalated_post=post,
        resolution_due=clock.now() - timedelta(minutes=65))
    ticket.refresh_from_db()
    return ticket


def test_a_row_says_what_the_ticket_is_every_value_escaped(staff, odd_ticket, client):
    client.force_login(staff["supervisor"])
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    row = _row(html, odd_ticket.number)
    assert f'<a href="/tickets/{odd_ticket.pk}/">{odd_ticket.number}</a>' in row
    assert row.startswith('<tr class="overdue">')
    assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' in row and "<script>" not in row
    assert '<span class="muted">· &lt;i&gt;水电&lt;/i&gt;</span>' in row
    assert '<span class="pill bad">紧急</span>' in row  # the urgent priority beside the kind (报修)
    assert "报修" in row
    post = odd_ticket.assigned_post
    assert f'<span class="pill bad" title="{post.name}">↑2</span>' in row  # escalated to the post
    assert f'<span class="muted">{post.name}</span>' in row  # dispatched to the post, no one assigned yet
    assert odd_ticket.unit.label in row
    assert re.search(r'<td class="error">超时 1小时[56]分</td>', row)  # 65 minutes past due
    assert odd_ticket.owner.get_full_name() in row
    assert timezone.localtime(odd_ticket.resolution_due).strftime("%m-%d %H:%M") in row


def test_the_rows_speak_english_too(staff, odd_ticket, client):
    client.force_login(staff["supervisor"])
    client.cookies["django_language"] = "en"
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    row = _row(html, odd_ticket.number)
    assert "&lt;i&gt;Utilities&lt;/i&gt;" in row and "urgent" in row and re.search("overdue 1h [56]m", row)


def test_an_unclaimed_ticket_says_so_and_a_finished_one_is_green(staff, make_ticket, client):
    portal = make_ticket(title="门禁坏了")
    done = make_ticket(title="已修好")
    Ticket.objects.filter(pk=portal.pk).update(owner=None)
    Ticket.objects.filter(pk=done.pk).update(status="closed")
    client.force_login(staff["supervisor"])
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    assert '<span class="pill warn">待认领</span>' in _row(html, portal.number)
    finished = _row(html, done.number)
    assert '<span class="pill good">已关闭</span>' in finished and finished.endswith("<td></td></tr>")


def test_an_empty_queue_says_nothing_is_here(staff, client):
    client.force_login(staff["supervisor"])
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    assert '<td colspan="9" class="muted">' in html


def test_the_queue_page_costs_the_same_queries_for_3_or_30_varied_rows(staff, make_ticket, building, client):
    """Categories, posts, owners and assignees of every row come with the rows (one statement) and one query for
    the names: never a query per row."""
    post = Post.objects.get(code="cs-supervisor")

    def add(count, start):
        for n in range(count):
            unit = UnitFactory(building=building, floor=n % 9 + 1, number=f"{n % 9 + 1}{start + n:02d}")
            ticket = make_ticket(unit=unit, resident=None, title=f"工单{start + n}")
            Ticket.objects.filter(pk=ticket.pk).update(assigned_post=post, escalated_post=post,
                                                       escalation_level=n % 2, assignee=staff["engineer"] if n % 3 else None)

    def queries():
        client.force_login(staff["supervisor"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tickets/", {"q": "all"}).status_code == 200
        return len(captured)

    add(3, 0)
    few = queries()
    add(27, 3)
    assert queries() == few
