"""Default categories and SLA policies (global rows: every project gets them; a project may add
its own rows, which win)."""
from django.db import migrations

CATEGORIES = [
    ("plumbing", "水电/管道", "Plumbing and water"),
    ("electrical", "电气", "Electrical"),
    ("lift", "电梯", "Lift"),
    ("doors-locks", "门窗锁具", "Doors, windows and locks"),
    ("public-area", "公共区域", "Public area"),
    ("noise", "噪音", "Noise"),
    ("other", "其他", "Other"),
]

# (kind, priority or "" = any) -> (response amount, unit, resolution amount, unit, escalate-again minutes, source)
POLICIES = {
    ("complaint", ""): (1, "same_day", 3, "working_days", 240,
                        "seed 000 篇16 same-day reply; seed 000 篇11 complaint closed within 3 days"),
    ("complaint", "urgent"): (2, "hours", 1, "working_days", 120,
                              "product default: urgent complaint reply in 2 service hours, resolved within 1 working day"),
    ("repair", ""): (1, "same_day", 2, "working_days", 240,
                     "seed 000 篇16 same-day reply; product default: repair resolved within 2 working days"),
    ("repair", "high"): (4, "hours", 1, "working_days", 240,
                         "product default: high-priority repair"),
    ("repair", "urgent"): (2, "hours", 4, "hours", 60,
                           "product default: urgent repair (leak, lift trapped, power cut) 2 h response / 4 h resolution"),
    ("enquiry", ""): (1, "same_day", 48, "hours", 240,
                      "seed 000 篇16 same-day reply; seed 002 篇6 a customer gets a reply within 48 h"),
    ("suggestion", ""): (48, "hours", 3, "working_days", 480,
                         "seed 002 篇6 reply within 48 h; product default 3 working days to act"),
    ("praise", ""): (48, "hours", 48, "hours", 480,
                     "seed 002 篇6 reply within 48 h"),
}


def load(apps, schema_editor):
    TicketCategory = apps.get_model("tickets", "TicketCategory")
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    for position, (code, name, name_en) in enumerate(CATEGORIES):
        TicketCategory.objects.get_or_create(project=None, code=code,
                                             defaults={"name": name, "name_en": name_en, "position": position})
    for (kind, priority), (r_amount, r_unit, s_amount, s_unit, escalate, source) in POLICIES.items():
        SLAPolicy.objects.get_or_create(project=None, kind=kind, priority=priority, defaults={
            "response_amount": r_amount, "response_unit": r_unit, "resolution_amount": s_amount,
            "resolution_unit": s_unit, "escalation_minutes": escalate, "source": source})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
