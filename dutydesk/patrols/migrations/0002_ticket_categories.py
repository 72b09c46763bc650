"""Work-order categories for what patrols find in the environment (global rows: every project gets them): cleaning
(seeds/000_d44081c6db2527f0.txt:518 篇18 10.2 清洁监管员 …保洁质量进行检查，发现问题及时处理) and landscaping (:526 11.2
绿化监管员 …巡视，发现问题及时跟进处理). An issue in one of them is routed to its inspector (patrols/services.py)."""
from django.db import migrations

CATEGORIES = [
    ("cleaning", "清洁卫生", "Cleaning"),
    ("greening", "绿化养护", "Landscaping"),
]


def load(apps, schema_editor):
    TicketCategory = apps.get_model("tickets", "TicketCategory")
    last = TicketCategory.objects.filter(project=None).order_by("-position").values_list("position", flat=True).first()
    for offset, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        TicketCategory.objects.get_or_create(project=None, code=code,
                                             defaults={"name": name, "name_en": name_en,
                                                       "position": (last or 0) + offset})


class Migration(migrations.Migration):
    dependencies = [("patrols", "0001_initial"), ("tickets", "0002_default_categories_and_sla")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
