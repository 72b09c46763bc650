"""Demo entries of the registers a demo project's posts write: last month and this month, some late, so the register
KPIs and scorecards show real numbers. Values are made from each field's type, so a catalogue's registers get entries
whatever fields it declares. Idempotent: a project that has entries of a register gets none again."""
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.core import clock
from dutydesk.org.models import PostHolding, Register
from dutydesk.registers import services
from dutydesk.registers.models import Entry

TEXTS = ["正常", "已处理", "已整改，复查合格", "已通知相关岗位跟进", "无异常"]
# the smallest valid PNG: a demo photo field gets a real (tiny) image through the normal upload checks
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082")


def load(project: Project, stdout: Any = None) -> None:
    _entries_for(project, stdout, per_writer=4)


def load_supermarket(project: Project, stdout: Any = None) -> None:
    _entries_for(project, stdout, per_writer=12)


@transaction.atomic
def _entries_for(project: Project, stdout: Any, per_writer: int) -> None:
    rng = random.Random(f"registers-{project.code}")
    holdings = list(PostHolding.objects.filter(project=project, active=True).select_related("user", "post"))
    made = 0
    for register in Register.objects.filter(writers__in=[h.post_id for h in holdings]).distinct().order_by("pk"):
        if Entry.objects.filter(register=register, project=project).exists():
            continue
        writers = [h.user for h in holdings if register.writers.filter(pk=h.post_id).exists()]
        for user in writers:
            for n in range(per_writer):
                made += _one(register, project, user, rng, days_ago=rng.randint(0, 45), late=n % 5 == 4)
    if stdout is not None and made:
        stdout.write(f"register entries: {made} in {project.name}")


def _one(register: Register, project: Project, user: Any, rng: random.Random, *, days_ago: int, late: bool) -> int:
    now = clock.now()
    day = timezone.localdate(now) - timedelta(days=days_ago)
    start = min(timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)))), now)
    values: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for field in register.fields:
        value = _value(field, project, rng, day)
        if value is None:
            if field.get("required"):
                return 0  # a required unit/resident in a project without any: no entry
            continue
        if field["type"] == Register.FieldType.PHOTO:
            files[field["code"]] = SimpleUploadedFile("demo.png", PNG, content_type="image/png")
        else:
            values[field["code"]] = value
    entry = services.entry_record(register=register, project=project, user=user, values=values, files=files)
    # dated back to its day, as a clerk would have recorded it (a plain update: the demo's past, not an edit)
    if register.timed:
        limit = register.limit_minutes or 10
        if start > now - timedelta(minutes=limit + 25):  # today's last ones stay in progress
            Entry.objects.filter(pk=entry.pk).update(started_at=start)
            return 1
        finished = start + timedelta(minutes=limit + rng.randint(1, 20) if late else rng.randint(1, limit))
        Entry.objects.filter(pk=entry.pk).update(
            started_at=start, finished_at=finished, finished_by=user, status=Entry.Status.FINISHED,
            on_time=finished - start <= timedelta(minutes=limit))
    else:
        Entry.objects.filter(pk=entry.pk).update(started_at=start, finished_at=start)
    return 1


def _value(field: dict, project: Project, rng: random.Random, day: date) -> Any:
    kind = field["type"]
    if kind == Register.FieldType.TEXT:
        return rng.choice(TEXTS)
    if kind == Register.FieldType.NUMBER:  # small counts: most registers count things found (empty shelves, faults)
        return rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
    if kind == Register.FieldType.MONEY:
        return str(Decimal(rng.randint(1000, 50000)) / 100)
    if kind == Register.FieldType.DATE:
        return (day - timedelta(days=rng.randint(0, 20))).isoformat()
    if kind == Register.FieldType.DATETIME:
        return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 20)))).isoformat()
    if kind == Register.FieldType.CHOICE:
        return rng.choice(field.get("choices") or [{"code": ""}])["code"] or None
    if kind == Register.FieldType.BOOLEAN:
        return rng.random() < 0.85
    if kind == Register.FieldType.UNIT:
        unit = Unit.objects.filter(project=project).order_by("pk").first()
        return unit.pk if unit else None
    if kind == Register.FieldType.RESIDENT:
        resident = Resident.objects.filter(unit__project=project).order_by("pk").first()
        return resident.pk if resident else None
    if kind == Register.FieldType.PHOTO:
        return "photo"
    return None
