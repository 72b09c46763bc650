"""`dutydesk demo --org supermarket` (issue 12): a store run from its catalogue, with users and entries, so its
scorecards show real numbers; idempotent like `dutydesk demo`."""
import pytest
from django.core.management import call_command

from dutydesk.archive.models import Project
from dutydesk.org.models import PostHolding
from dutydesk.registers.models import Entry


@pytest.mark.django_db
def test_the_supermarket_demo_loads_a_store_with_users_and_entries(api):
    call_command("demo", "--org", "supermarket", stdout=open("/dev/null", "w"))
    store = Project.objects.get(code="demo-store")
    holders = dict(PostHolding.objects.filter(project=store).values_list("user__username", "post__code"))
    assert holders == {"sm-supervisor": "sm-supervisor", "sm-clerk": "sm-stock-clerk", "sm-keeper": "sm-warehouse-keeper"}
    entries = Entry.objects.filter(project=store)
    assert entries.count() > 20 and entries.values("register").distinct().count() >= 3
    counts = (Project.objects.count(), Entry.objects.count(), PostHolding.objects.count())
    call_command("demo", "--org", "supermarket", stdout=open("/dev/null", "w"))
    assert (Project.objects.count(), Entry.objects.count(), PostHolding.objects.count()) == counts
    assert not Project.objects.filter(code="sunshine").exists()  # the property demo is another organisation


@pytest.mark.django_db
def test_the_stores_scorecards_show_real_numbers(api):
    from django.contrib.auth import get_user_model

    from dutydesk.core.periods import Period

    call_command("demo", "--org", "supermarket", stdout=open("/dev/null", "w"))
    store = Project.objects.get(code="demo-store")
    supervisor = get_user_model().objects.get(username="sm-supervisor")
    body = api(supervisor).get(f"/api/v1/reports/scorecards?project={store.pk}&period={Period.current().label}").json()
    measured = [k for card in body["results"] for k in card["kpis"] if k["source"] == "register" and k["actual"]]
    assert measured, "no register KPI of the store has data"


@pytest.mark.django_db
def test_the_store_has_stock_with_an_expired_batch_never_issued():
    from dutydesk.core import clock
    from dutydesk.stock.models import Item, Receipt

    call_command("demo", "--org", "supermarket", stdout=open("/dev/null", "w"))
    store = Project.objects.get(code="demo-store")
    assert Item.objects.filter(project=store).count() == 5
    expired = Receipt.objects.get(item__project=store, item__code="NN01", expires_on__lte=clock.today())
    assert expired.zone == "passed" and expired.remaining == expired.quantity == 80  # flagged, never issued
    assert expired.expired_flagged_at is not None
    assert Receipt.objects.filter(item__project=store, zone="pending").count() == 1
