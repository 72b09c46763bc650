"""``get_FOO_display()`` through ``core.choices.ChoiceLabels``: the same labels as Django's own, in the reader's
language, built once per field instead of on every call."""
from django.utils import translation

from dutydesk.archive.models import Unit
from dutydesk.tickets.models import Kind, Status, Ticket


def test_it_shows_the_label_in_the_readers_language():
    unit = Unit(status=Unit.Status.VACANT)
    with translation.override("zh-hans"):
        assert unit.get_status_display() == "空置"
    with translation.override("en"):
        assert unit.get_status_display() == "vacant"


def test_it_gives_the_labels_djangos_own_method_gives():
    from django.db.models import Model

    for kind in Kind:
        for status in Status:
            ticket = Ticket(kind=kind, status=status)
            for field in ("kind", "status"):
                with translation.override("zh-hans"):
                    ours = getattr(ticket, f"get_{field}_display")()
                    djangos = Model._get_FIELD_display(ticket, Ticket._meta.get_field(field))
                assert ours == djangos


def test_a_value_outside_the_choices_shows_as_it_is():
    assert Ticket(status="archived").get_status_display() == "archived"
    assert Ticket(status=None).get_status_display() is None


def test_the_labels_are_looked_up_not_rebuilt_on_each_call(monkeypatch):
    field = Ticket._meta.get_field("kind")
    Ticket(kind=Kind.REPAIR).get_kind_display()  # built once
    calls = []
    monkeypatch.setattr(type(field), "flatchoices", property(lambda self: calls.append(1) or []))
    assert Ticket(kind=Kind.REPAIR).get_kind_display() == Kind.REPAIR.label
    assert calls == []
