"""``one_off_charge_create``: the one door through which another module (a paid repair) hands billing a receivable
for the unit's next bill run."""
from decimal import Decimal

from dutydesk.billing.models import OneOffCharge
from dutydesk.billing.services import one_off_charge_create


def test_a_second_charge_for_the_same_record_returns_the_first(unit, staff):
    first = one_off_charge_create(project=unit.project, unit=unit, amount=Decimal("80.00"), description="有偿维修",
                                  source="repair", source_id=7, created_by=staff["engineer"])
    again = one_off_charge_create(project=unit.project, unit=unit, amount=Decimal("99.00"), description="再来一次",
                                  source="repair", source_id=7, created_by=staff["engineer"])
    assert again.pk == first.pk
    assert list(OneOffCharge.objects.values_list("amount", "description", "billed_at")) == [
        (Decimal("80.00"), "有偿维修", None)]


def test_the_same_record_number_of_another_source_is_another_charge(unit):
    one_off_charge_create(project=unit.project, unit=unit, amount=Decimal("10.00"), description="a", source="repair",
                          source_id=1)
    one_off_charge_create(project=unit.project, unit=unit, amount=Decimal("20.00"), description="b", source="event",
                          source_id=1)
    assert OneOffCharge.objects.count() == 2


def test_a_long_description_is_cut_to_the_field(unit):
    charge = one_off_charge_create(project=unit.project, unit=unit, amount=Decimal("1.00"), description="修" * 300,
                                   source="repair", source_id=2)
    assert len(charge.description) == 200
