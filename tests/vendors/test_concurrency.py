"""Two holders of the same post evaluate the same vendor and month at once: one evaluation, the other a 409.
Real concurrency needs PostgreSQL (SQLite serialises writers): skipped on SQLite."""
import pytest
from django.db import connection

from dutydesk.core.errors import StateConflict
from dutydesk.vendors import services
from dutydesk.vendors.models import Evaluation, Score
from tests.factories import UserFactory, hold
from tests.support.concurrency import in_threads
from tests.vendors.conftest import scores

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_two_evaluations_of_one_vendor_month_and_post_at_once(project, posts, env, cleaning):
    deputy = UserFactory(username="env2")
    hold(deputy, "env-supervisor", project)
    users = (env, deputy)
    results, errors = in_threads(2, lambda i: services.evaluation_record(
        vendor=cleaning, month="2026-10", post=posts["env-supervisor"], evaluated_by=users[i], scores=scores()))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], StateConflict)
    assert Evaluation.objects.count() == 1 and Score.objects.count() == 4
