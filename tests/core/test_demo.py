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
    assert {"manager", "supervisor", "frontdesk", "butler", "archivist", "visitordesk", "cardclerk", "engineer"} <= usernames
    assert Resident.objects.filter(user__username="resident").exists()
    first = _counts()
    call_command("demo")
    assert _counts() == first
    assert "dutydesk-demo" in capsys.readouterr().out
