"""Two issues at once never take the same batch quantity twice (issue 12). Real concurrency needs PostgreSQL (SQLite
serialises writers): skipped on SQLite."""
from decimal import Decimal

import pytest
from django.db import connection

from dutydesk.core.errors import BusinessRuleError
from dutydesk.stock import services
from dutydesk.stock.models import Issue, IssueLine, Receipt
from tests.stock.conftest import days_ago
from tests.support.concurrency import in_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")



def test_two_issues_at_once_share_the_batches_without_taking_anything_twice(keeper, milk, receive):
    receive(milk, 6, on=days_ago(3), batch="M-1")
    receive(milk, 6, on=days_ago(1), batch="M-2")

    issues, errors = in_threads(2, lambda i: services.issue_record(project=milk.project, item=milk, quantity="5",
                                                                    to=f"货架{i}", issued_by=keeper))

    assert errors == []
    assert sorted(sum(line.quantity for line in issue.lines.all()) for issue in issues) == [5, 5]
    assert dict(Receipt.objects.values_list("batch", "remaining")) == {"M-1": Decimal("0"), "M-2": Decimal("2")}
    taken = {batch: sum(q for b, q in IssueLine.objects.values_list("receipt__batch", "quantity") if b == batch)
             for batch in ("M-1", "M-2")}
    assert taken == {"M-1": Decimal("6"), "M-2": Decimal("4")}


def test_when_only_one_of_two_issues_fits_the_other_gets_the_400_and_changes_nothing(keeper, milk, receive):
    receive(milk, 6, on=days_ago(3), batch="M-1")
    receive(milk, 4, on=days_ago(1), batch="M-2")

    issues, errors = in_threads(2, lambda i: services.issue_record(project=milk.project, item=milk, quantity="7",
                                                                    to=f"货架{i}", issued_by=keeper))

    assert len(issues) == 1 and len(errors) == 1 and isinstance(errors[0], BusinessRuleError)
    assert list(errors[0].errors) == ["quantity"]
    assert Issue.objects.count() == 1 and IssueLine.objects.count() == 2
    assert dict(Receipt.objects.values_list("batch", "remaining")) == {"M-1": Decimal("0"), "M-2": Decimal("3")}


def test_ten_small_issues_at_once_take_exactly_what_was_there(keeper, milk, receive):
    for n in range(3):
        receive(milk, 4, on=days_ago(5 - n), batch=f"M-{n}")

    issues, errors = in_threads(10, lambda i: services.issue_record(project=milk.project, item=milk, quantity="1.5",
                                                                     to="货架", issued_by=keeper))

    assert len(issues) == 8 and len(errors) == 2  # 12 boxes: eight issues of 1.5
    assert all(isinstance(error, BusinessRuleError) for error in errors)
    assert sum(Receipt.objects.values_list("remaining", flat=True)) == Decimal("0")
    assert sum(IssueLine.objects.values_list("quantity", flat=True)) == Decimal("12")
