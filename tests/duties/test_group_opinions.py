"""A group's opinions through the API (``GET /api/v1/opinions/``): someone who holds posts in several projects reads
them newest first, each project's read off its (project, received) index and merged (``core.paging.ProjectByProject``
on PostgreSQL): sorting 40 projects' 60,000 opinions for one page took 125 ms."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.duties.models import Opinion
from dutydesk.duties.services import opinion_record
from tests.factories import ProjectFactory, UserFactory, hold
from tests.tickets.conftest import local

pytestmark = pytest.mark.django_db
MERGES = connection.vendor == "postgresql"  # SQLite (no LATERAL) reads the plain way


@pytest.fixture
def group(project, staff):
    """Three projects, 13 opinions received in turn across them, two at the same minute; a manager of all three."""
    projects = [project, *(ProjectFactory(organisation=project.organisation, code=f"op{n}") for n in (1, 2))]
    manager = UserFactory(username="opinions-manager")
    for each in projects:
        hold(manager, "cs-manager", each)
    start = local(2026, 11, 2, 8, 0)
    for n in range(13):
        opinion_record(project=projects[n % 3], text=f"意见{n}", actor=manager,
                       received_at=start + timedelta(hours=min(n, 11)))
    return manager, projects


def newest_first(**filters):
    return list(Opinion.objects.filter(**filters).order_by("-received_at", "-id").values_list("pk", flat=True))


def _pages(client, size, **params):
    seen, number, counts = [], 1, set()
    while True:
        body = client.get("/api/v1/opinions/", {"page_size": size, "page": number, **params}).json()
        counts.add(body["count"])
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return counts, seen
        number += 1


def merged(queries):
    return any("CROSS JOIN LATERAL" in q["sql"] for q in queries.captured_queries)


def test_a_groups_opinions_are_every_project_newest_first_page_after_page(group, api):
    manager, _projects = group
    client = api(manager)
    for size in (1, 4, 50):
        assert _pages(client, size) == ({13}, newest_first())
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/opinions/", {"page_size": 4, "page": 2})
    assert merged(queries) is MERGES


def test_a_groups_opinions_of_one_project_are_read_the_plain_way(group, api):
    manager, projects = group
    with CaptureQueriesContext(connection) as queries:
        assert _pages(api(manager), 2, project=projects[1].pk) == ({4}, newest_first(project=projects[1]))
    assert not merged(queries)


def test_a_superuser_reads_every_projects_opinions_and_one_projects_clerk_only_theirs(group, staff, api):
    _manager, projects = group
    admin = get_user_model().objects.create_superuser("root-opinions", password="x")
    assert _pages(api(admin), 5) == ({13}, newest_first())
    clerk = api(staff["frontdesk"])  # 阳光花园's front desk only: the denial of the other two
    assert _pages(clerk, 2) == ({5}, newest_first(project=projects[0]))
    assert clerk.get("/api/v1/opinions/", {"project": projects[1].pk}).json()["count"] == 0
