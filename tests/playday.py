"""One played day of real use on top of the demo, through the application's own services — the state the pages
must hold after real work (a portal repair nobody claimed yet, an internal note, a dispatch with a note, a reply to
the resident, a payment, a key out, a visitor inside). Used by the crawler test and by scripts/screenshots."""
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command


@dataclass
class PlayedDay:
    internal_note: str
    dispatch_note: str
    reply: str
    portal_ticket: object
    worked_ticket: object
    payment: object
    key: object
    visit: object


def play_day(load_demo: bool = True) -> PlayedDay:
    from dutydesk.archive.models import Resident
    from dutydesk.billing import services as billing
    from dutydesk.billing.models import Bill
    from dutydesk.frontdesk import services as frontdesk
    from dutydesk.frontdesk.models import Key
    from dutydesk.tickets import services as tickets

    if load_demo:
        call_command("demo", stdout=open("/dev/null", "w"))
    users = {u.username: u for u in get_user_model().objects.all()}
    marker = uuid.uuid4().hex[:8]
    internal = f"内部备注-仅员工可见-{marker}"
    dispatch_note = f"派单备注-仅员工可见-{marker}"
    reply = f"给业户的答复-{marker}"

    resident_user = users["resident"]
    home = Resident.objects.filter(user=resident_user).select_related("unit").first()
    portal = tickets.ticket_create(actor=resident_user, unit=home.unit, kind="repair", title="卫生间下水道堵塞",
                                   description="早上开始反水")
    worked = tickets.ticket_create(actor=resident_user, unit=home.unit, kind="complaint", title="楼上装修噪音",
                                   description="晚上十点还在施工")
    tickets.ticket_claim(ticket=worked, actor=users["frontdesk"])
    tickets.ticket_comment(ticket=worked, actor=users["frontdesk"], note=internal)
    tickets.ticket_dispatch(ticket=worked, actor=users["supervisor"], assignee=users["engineer"], note=dispatch_note)
    tickets.ticket_comment(ticket=worked, actor=users["frontdesk"], note=reply, to_resident=True)

    bill = Bill.objects.filter(unit__building__name="A", unit__floor__lte=15).exclude(status="paid") \
        .order_by("period", "id").first()
    payment = billing.payment_record(bill=bill, amount=bill.balance, method="wechat", user=users["butler"])

    key = Key.objects.filter(status="in_custody").order_by("id").first()
    frontdesk.key_lend(key=key, clerk=users["archivist"], borrower_name="王师傅", borrower_phone="13800138000",
                       purpose="抄水表")
    visit = frontdesk.visit_register(unit=home.unit, clerk=users["visitordesk"], visitor_name="李访客",
                                     visitor_phone="13700137000", purpose="探亲")
    # and the scheduler's tick, as on any day: sweeps, escalations, routines, the kept figures of the trends
    from dutydesk.core import clock
    from dutydesk.core.scheduler import run_tick

    run_tick(clock.now())
    return PlayedDay(internal_note=internal, dispatch_note=dispatch_note, reply=reply, portal_ticket=portal,
                     worked_ticket=worked, payment=payment, key=key, visit=visit)
