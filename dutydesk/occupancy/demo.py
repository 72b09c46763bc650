"""Demo move-ins, renovations and move-outs for Sunshine Garden, through the services: a unit handed over and one
half-way through its checklist; renovations waiting for approval, under way (with workers' passes and a failed
inspection that becomes the butler's task), and past their final inspection; a move-out under way. Units owing
nothing are chosen (a move-out and the fees step refuse arrears). Idempotent: each part is loaded once."""
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.validators import id_check_char
from dutydesk.core import clock
from dutydesk.occupancy import services
from dutydesk.occupancy.models import MOVE_IN_STEPS, MoveIn, MoveOut, Renovation

READINGS = {"water": "15.20", "electricity": "320.50"}
NEWCOMERS = [("郑晓明", "13922001101", "19880312"), ("冯雅琴", "13922001102", "19910705")]
CONTRACTORS = [
    ("深圳美居装饰工程有限公司", "13800138201", "厨房、卫生间翻新，更换地砖", [("刘建军", "13800138211"), ("黄志强", "13800138212")]),
    ("福田佳园装修队", "13800138202", "客厅墙面重新刷漆，安装吊顶", [("吴海涛", "13800138221")]),
    ("安居家装服务部", "13800138203", "阳台封闭，更换门窗", [("陈国华", "13800138231")]),
]


def _id_number(born: str, serial: int) -> str:
    first17 = f"440304{born}{serial:03d}"
    return first17 + id_check_char(first17)


def _owing_nothing(units: Any, count: int, skip: set[int]) -> list[Unit]:
    chosen = []
    for unit in units:
        if unit.pk in skip:
            continue
        if services.unit_balance(unit) == 0:
            chosen.append(unit)
            skip.add(unit.pk)
        if len(chosen) == count:
            break
    return chosen


@transaction.atomic
def load(project: Project, stdout: Any = None) -> None:
    say = stdout.write if stdout else (lambda *_: None)
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["frontdesk", "supervisor", "butler", "manager"])}
    if len(users) < 4:
        say("occupancy demo: demo users missing, skipped")
        return
    now, today = clock.now(), clock.today()
    # the butler's floors (building A 1–15), away from the resident's own unit (A-1201)
    floors = Unit.objects.filter(project=project, building__name="A", floor__gte=4, floor__lte=15).exclude(
        number="1201").select_related("building", "project").order_by("floor", "number")
    used: set[int] = set(MoveIn.objects.filter(project=project).values_list("unit_id", flat=True))
    used |= set(Renovation.objects.filter(project=project).values_list("unit_id", flat=True))
    used |= set(MoveOut.objects.filter(project=project).values_list("unit_id", flat=True))

    if not MoveIn.objects.filter(project=project).exists():
        vacant = _owing_nothing(floors.filter(status=Unit.Status.VACANT), len(NEWCOMERS), used)
        for index, (unit, (name, phone, born)) in enumerate(zip(vacant, NEWCOMERS)):
            resident = Resident.objects.create(unit=unit, name=name, phone=phone, role=Resident.Role.OWNER,
                                               id_number=_id_number(born, 101 + index))
            move_in = services.move_in_open(unit=unit, resident=resident, date=today, clerk=users["frontdesk"],
                                            started_at=now - timedelta(minutes=25 - 10 * index))
            steps = [code for code, _label in MOVE_IN_STEPS] if index == 0 else ["documents", "fees"]
            for code in steps:
                services.move_in_step_done(move_in=move_in, code=code, clerk=users["frontdesk"],
                                           count=2 if code == "keys" else None,
                                           readings=READINGS if code == "meters" else None)

    if not Renovation.objects.filter(project=project).exists():
        units = _owing_nothing(floors.filter(status=Unit.Status.OCCUPIED), len(CONTRACTORS), used)
        made = []
        for index, (unit, (contractor, phone, works, workers)) in enumerate(zip(units, CONTRACTORS)):
            owner = unit.residents.filter(role=Resident.Role.OWNER).first()
            made.append(services.renovation_apply(
                unit=unit, clerk=users["frontdesk"] if index != 1 else users["butler"], contractor=contractor,
                contractor_phone=phone, description=works, starts_on=today - timedelta(days=10 - 5 * index),
                ends_on=today + timedelta(days=20 + 10 * index),
                deposit=Decimal("2000.00" if index == 2 else "3000.00"), resident=owner,
                workers=[{"name": n, "phone": p} for n, p in workers], started_at=now - timedelta(minutes=12)))
        if len(made) == 3:
            under_way, waiting, finished = made
            services.renovation_approve(renovation=under_way, approver=users["supervisor"], note="按装修手册施工")
            services.renovation_inspect(renovation=under_way, inspector=users["butler"], result="fail",
                                        note="卫生间防水层未做闭水试验")
            services.renovation_approve(renovation=finished, approver=users["supervisor"])
            services.renovation_inspect(renovation=finished, inspector=users["butler"], result="pass",
                                        note="施工现场防护到位")
            services.renovation_inspect(renovation=finished, inspector=users["supervisor"], result="pass",
                                        final=True, note="竣工验收合格，消防验收合格")

    if not MoveOut.objects.filter(project=project).exists():
        occupied = _owing_nothing(floors.filter(status=Unit.Status.OCCUPIED), 1, used)
        for unit in occupied:
            leaving = unit.residents.filter(move_out_date__isnull=True).order_by("id").first()
            if leaving is None:
                continue
            move_out = services.move_out_open(unit=unit, resident=leaving, date=today + timedelta(days=3),
                                              clerk=users["butler"], started_at=now - timedelta(minutes=8))
            services.move_out_step_done(move_out=move_out, code="fees", clerk=users["butler"])
            services.move_out_step_done(move_out=move_out, code="meters", clerk=users["butler"],
                                        readings={"water": "412.00", "electricity": "5630.80", "gas": "233.10"})
    say(f"occupancy: {MoveIn.objects.filter(project=project).count()} move-ins, "
        f"{Renovation.objects.filter(project=project).count()} renovations, "
        f"{MoveOut.objects.filter(project=project).count()} move-outs")
