from django.core.management import call_command

from dutydesk.archive.models import Resident, Unit
from dutydesk.org.models import PostHolding


def _counts():
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in {"org", "archive", "tickets", "frontdesk", "billing", "duties"}}


def test_demo_loads_the_project_users_and_is_idempotent(db, settings, capsys):
    call_command("demo")
    assert Unit.objects.count() == 600
    assert 950 <= Resident.objects.count() <= 1100
    usernames = set(PostHolding.objects.values_list("user__username", flat=True))
    assert {"manager", "supervisor", "frontdesk", "butler", "archivist", "visitordesk", "cardclerk", "engineer",
            "clerk"} <= usernames
    assert Resident.objects.filter(user__username="resident").exists()
    first = _counts()
    call_command("demo")
    assert _counts() == first
    assert "dutydesk-demo" in capsys.readouterr().out


def test_the_demo_store_is_kept_by_the_clerk_who_gets_its_shortage(db, client):
    """The supplies store of the demo project (seeds/000_d44081c6db2527f0.txt:509 文员: 物资登记和领用) is kept by the
    department's clerk: the A4 paper left below its safety stock is a task in the clerk's inbox, where before no one
    in the project held the keeper's post and the alert went nowhere (a warning in the log)."""
    from django.contrib.auth import get_user_model

    from dutydesk.inbox.selectors import tasks_for_me

    call_command("demo")
    clerk = get_user_model().objects.get(username="clerk")
    assert list(PostHolding.objects.filter(user=clerk).values_list("post__code", flat=True)) == ["cs-dept-clerk"]
    shortages = [task.title for task in tasks_for_me(clerk) if task.source == "stock.below_safety"]
    assert len(shortages) == 1 and "A4复印纸" in shortages[0]
    client.force_login(clerk)
    home = client.get("/").content.decode()
    assert "A4复印纸" in home
    assert client.get("/stock/").status_code == 200
