"""Survey responses say where their unit is (``SurveyResponse.building``, ``.floor``; ``dutydesk.archive.places``),
and a trigger keeps it so: a floor butler's average rating groups the month's answers and their responses alone.
Existing responses are filled from their units here (one ``UPDATE``)."""
from django.db import migrations

from dutydesk.archive import places


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0008_resident_name_pairs'),
        ('duties', '0004_labels_in_chinese'),
    ]

    operations = places.adding_the_place("surveyresponse", "duties_surveyresponse")
