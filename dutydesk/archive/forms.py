from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.core.forms import DateInput, DecimalInput


class ImportForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("Project"),
                                     empty_label=_("— choose a project —"))
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["project"])  # this form's copy of ``project`` above
        field.queryset = projects
        if len(projects) == 1:
            field.initial = projects[0]


class ResidentForm(forms.ModelForm):
    class Meta:
        model = Resident
        fields = ["name", "role", "phone", "id_number", "email", "move_in_date", "move_out_date",
                  "emergency_contact", "emergency_phone", "notes"]
        widgets = {"move_in_date": DateInput(), "move_out_date": DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def clean_id_number(self) -> str:
        return (self.cleaned_data.get("id_number") or "").strip().upper()


class UnitStatusForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["status", "area_m2"]
        widgets = {"area_m2": DecimalInput(attrs={"step": "0.01", "min": "0.01"})}
