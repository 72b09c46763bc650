"""Every chart link on the dashboard opens a list with exactly the bar's count (the "7天以上" bar once opened
/tickets/?status=open&age_from=7, which ignored both filters and showed 我受理的)."""
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from dutydesk.core import clock
from dutydesk.duties.dashboard import dashboard_data
from dutydesk.tickets import services


@pytest.fixture
def aged_tickets(staff, unit, resident):
    now = clock.now()
    made = []
    for days in (0, 0, 2, 5, 5, 9, 12, 30):
        with time_machine.travel(now - timedelta(days=days, hours=1), tick=False):
            made.append(services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair",
                                               title=f"{days} 天前的报修"))
    services.ticket_dispatch(ticket=made[-1], actor=staff["supervisor"], assignee=staff["engineer"])
    services.ticket_start(ticket=made[-1], actor=staff["engineer"])
    services.ticket_resolve(ticket=made[-1], actor=staff["engineer"], resolution="已修好")  # not open any more
    return made


def _count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_age_bar_opens_exactly_its_tickets(staff, project, aged_tickets):
    client = Client()
    client.force_login(staff["manager"])
    chart = next(c for c in dashboard_data(staff["manager"], project)["charts"] if c["key"] == "work_orders_by_age")
    assert chart["values"] == [2, 1, 2, 2]
    for value, url in zip(chart["values"], chart["urls"], strict=True):
        assert url.startswith("/tickets/?")
        assert _count(client, url) == value, url
    assert _count(client, chart["url"]) == sum(chart["values"])


def test_the_sla_trend_point_opens_the_tickets_it_measures(staff, project, aged_tickets):
    client = Client()
    client.force_login(staff["manager"])
    chart = next(c for c in dashboard_data(staff["manager"], project)["charts"] if c["key"] == "sla_trend")
    this_month = chart["urls"][-1]
    assert _count(client, this_month) == 1  # the one resolved ticket with a target


def test_the_overdue_tasks_bar_opens_the_team_list_with_its_count(staff, project):
    from dutydesk.inbox.models import Task
    from dutydesk.org.models import Post

    post = Post.objects.get(code="frontdesk-assistant")
    for n in range(3):
        Task.objects.create(title=f"逾期任务{n}", post=post, project=project, due_at=clock.now() - timedelta(hours=n + 1),
                            source="manual", source_key=f"t{n}")
    client = Client()
    client.force_login(staff["manager"])
    chart = next(c for c in dashboard_data(staff["manager"], project)["charts"] if c["key"] == "overdue_tasks_by_post")
    for value, url in zip(chart["values"], chart["urls"], strict=True):
        assert client.get(url).context["page"].paginator.count == value, url
