"""Demo billing data for Sunshine Garden: charge items (management fee 3.50/m²/month, tiered
water, parking per space), last month's bill run and most of its payments. Idempotent."""
import random
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.archive.models import ParkingSpace, Unit
from dutydesk.billing import selectors, services
from dutydesk.billing.models import BillingPolicy, ChargeItem, MeterReading, Payment, UnitCharge
from dutydesk.core.money import money

ITEMS = [
    {"code": "mgmt", "name": "物业管理费", "basis": "per_m2", "unit_price": "3.50", "kind": "management"},
    {"code": "water", "name": "水费", "basis": "metered", "unit_price": "3.45", "kind": "water",
     "tiers": [{"up_to": "20", "price": "3.45"}, {"up_to": "30", "price": "4.83"}, {"up_to": None, "price": "6.90"}]},
    {"code": "parking", "name": "车位管理费", "basis": "per_space", "unit_price": "150.00", "kind": "parking"},
]


@transaction.atomic
def load(project, stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    BillingPolicy.objects.get_or_create(project=project)
    items = {}
    for spec in ITEMS:
        item = ChargeItem.objects.filter(project=project, code=spec["code"]).first()
        items[spec["code"]] = item or services.charge_item_save(project=project, **spec)
    units = list(Unit.objects.filter(project=project).select_related("building").order_by("id"))
    if not UnitCharge.objects.filter(item__project=project).exists():
        UnitCharge.objects.bulk_create([UnitCharge(unit=u, item=items["mgmt"], start=date(2020, 1, 1),
                                                   vacant_discount_percent=30) for u in units])
        for index, unit in enumerate(u for u in units if u.building.name == "A" and u.floor <= 2):
            ParkingSpace.objects.get_or_create(project=project, code=f"P-{index + 1:03d}", defaults={"unit": unit})
            UnitCharge.objects.create(unit=unit, item=items["parking"], start=date(2020, 1, 1))
    period = selectors.previous_period(selectors.current_period())
    before = selectors.previous_period(period)
    rng = random.Random(2026)
    metered = [u for u in units if u.building.name == "A" and u.floor <= 3]
    if not MeterReading.objects.filter(item=items["water"]).exists():
        MeterReading.objects.bulk_create([MeterReading(unit=u, item=items["water"], period=before,
                                                       reading=rng.randint(100, 900), usage=0) for u in metered])
        clerk = get_user_model().objects.filter(username="archivist").first()
        for reading in MeterReading.objects.filter(item=items["water"], period=before).select_related("unit__project"):
            services.meter_reading_record(unit=reading.unit, item=items["water"], period=period, user=clerk,
                                          reading=reading.reading + rng.randint(8, 35))
    run, created = services.bill_run_create(project=project, period=period)
    if created:
        services.fee_notice_task_create(run=run)
    say(f"billing: {len(items)} charge items, bill run {period}: {run.bills_created} bills, total ¥{run.total}")
    if Payment.objects.filter(project=project).exists():
        return
    clerk = get_user_model().objects.filter(username="frontdesk").first()
    if clerk is None:
        return
    methods = list(Payment.Method.values)
    paid = 0
    for bill in run.bills.select_related("unit__building").order_by("id"):
        chance = rng.random()
        if chance < 0.85:
            amount = bill.amount
        elif chance < 0.9:
            amount = money(bill.amount / 2)
        else:
            continue
        if amount <= 0:
            continue
        services.payment_record(bill=bill, amount=amount, method=rng.choice(methods), user=clerk)
        paid += 1
    rate = selectors.collection_rate(project=project, period=period)
    say(f"billing: {paid} payments recorded; collection rate {period}: {rate['rate']}")
