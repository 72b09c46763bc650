"""Demo front-desk records: custody and public-area keys (one lent today), a few visitors, a card
batch with cards made and issued, an access pass and a parcel. Idempotent."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.archive.models import Resident, Unit
from dutydesk.core import clock
from dutydesk.frontdesk import services
from dutydesk.frontdesk.models import AccessPass, Card, CardBatch, Key, MailItem, Visit

PUBLIC_KEYS = [("天台门-A", "A座天台"), ("天台门-B", "B座天台"), ("配电房", "地下一层"), ("会所活动室", "会所二楼")]
VISITORS = [("王建国", "13800138101", "探亲", 2), ("李秀英", "13800138102", "送货", 1), ("陈师傅", "13800138103", "维修空调", 1)]


@transaction.atomic
def load(project, stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["archivist", "visitordesk", "cardclerk", "frontdesk"])}
    if len(users) < 4:
        say("frontdesk demo: demo users missing, skipped")
        return
    units = list(Unit.objects.filter(project=project, building__name="A", floor__in=[3, 12], status="occupied")
                 .select_related("building").order_by("floor", "number")[:8])
    now = clock.now()
    if not Key.objects.filter(project=project).exists():
        for unit in units:
            services.key_register(project=project, clerk=users["archivist"], label=f"{unit}-1", unit=unit,
                                  location=f"钥匙柜{unit.floor:02d}", started_at=now - timedelta(minutes=3))
        for label, location in PUBLIC_KEYS:
            services.key_register(project=project, clerk=users["archivist"], label=label, kind=Key.Kind.PUBLIC,
                                  location=location)
        first = Key.objects.filter(project=project, kind=Key.Kind.CUSTODY).order_by("label").first()
        if first is not None:
            services.key_lend(key=first, clerk=users["archivist"], borrower_name="装修队刘工",
                              borrower_phone="13700137001", purpose="装修进场", started_at=now - timedelta(minutes=4))
    if not Visit.objects.filter(project=project).exists() and units:
        for index, (name, phone, purpose, headcount) in enumerate(VISITORS):
            visit = services.visit_register(unit=units[index % len(units)], clerk=users["visitordesk"],
                                            visitor_name=name, visitor_phone=phone, purpose=purpose,
                                            headcount=headcount, started_at=now - timedelta(minutes=6 + 3 * index))
            if index == 0:
                services.visit_leave(visit=visit, clerk=users["visitordesk"])
    if not CardBatch.objects.filter(project=project).exists():
        services.card_batch_record(project=project, clerk=users["cardclerk"], bought_on=clock.today().replace(day=1),
                                   quantity=200, supplier="深圳示例智能卡有限公司")
        residents = Resident.objects.filter(unit__in=units).order_by("pk")[:3]
        for index, resident in enumerate(residents):
            card = services.card_make(resident=resident, clerk=users["cardclerk"], number=f"IC{project.pk:02d}{index + 1:05d}",
                                      started_at=now - timedelta(minutes=12 + 5 * index))
            if index < 2:
                services.card_confirm(card=card, clerk=users["cardclerk"])
    if not AccessPass.objects.filter(project=project).exists() and units:
        services.pass_issue(unit=units[-1], clerk=users["frontdesk"], kind=AccessPass.Kind.RENOVATION,
                            holder_name="装修工人张强", valid_from=clock.today(), valid_until=clock.today() + timedelta(days=30),
                            started_at=now - timedelta(minutes=9))
    if not MailItem.objects.filter(project=project).exists() and units:
        services.mail_sign_for(unit=units[0], clerk=users["frontdesk"], sender="顺丰速运", tracking_number="SF1234567890")
    say(f"frontdesk: {Key.objects.filter(project=project).count()} keys, {Visit.objects.filter(project=project).count()} visits, "
        f"{Card.objects.filter(project=project).count()} cards")
