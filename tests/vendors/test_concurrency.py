"""Two holders of the same post evaluate the same vendor and month at once: one evaluation, the other a 409.
Real concurrency needs PostgreSQL (SQLite serialises writers): skipped on SQLite."""
import threading

import pytest
from django.db import connection, connections

from dutydesk.core.errors import StateConflict
from dutydesk.vendors import services
from dutydesk.vendors.models import Evaluation, Score
from tests.factories import UserFactory, hold
from tests.vendors.conftest import scores

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_two_evaluations_of_one_vendor_month_and_post_at_once(project, posts, env, cleaning):
    deputy = UserFactory(username="env2")
    hold(deputy, "env-supervisor", project)
    barrier, results, errors = threading.Barrier(2), [], []

    def run(user):
        try:
            barrier.wait()
            results.append(services.evaluation_record(vendor=cleaning, month="2026-10", post=posts["env-supervisor"],
                                                      evaluated_by=user, scores=scores()))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in (env, deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], StateConflict)
    assert Evaluation.objects.count() == 1 and Score.objects.count() == 4
