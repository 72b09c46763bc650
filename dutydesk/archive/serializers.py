from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dutydesk.archive.selectors import mask_id_number, masked_contacts, may_see_contacts
from dutydesk.archive.models import Building, ParkingSpace, Project, Resident, Unit, Vehicle


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name", "name_en", "code", "address", "service_start", "service_end"]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "project", "name", "floors"]


class UnitSerializer(serializers.ModelSerializer):
    project: "serializers.PrimaryKeyRelatedField[Project]" = serializers.PrimaryKeyRelatedField(read_only=True)
    # a field named "label": DRF's metaclass moves it into _declared_fields, so Field.label is not overwritten
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Unit
        fields = ["id", "project", "building", "floor", "number", "label", "area_m2", "status"]

    def validate(self, attrs):
        building = attrs.get("building") or getattr(self.instance, "building", None)
        number = attrs.get("number") or getattr(self.instance, "number", None)
        floor = attrs.get("floor", getattr(self.instance, "floor", None))
        if building and floor is not None and building.floors and not (-5 <= floor <= building.floors):
            raise serializers.ValidationError({"floor": [_("Building %(building)s has floors up to %(floors)s.") % {
                "building": building.name, "floors": building.floors}]})
        if building and number and Unit.objects.filter(building=building, number=number).exclude(
                pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError({"number": [_("Unit %(number)s already exists in this building.") % {"number": number}]})
        if attrs.get("area_m2") is not None and attrs["area_m2"] <= 0:
            raise serializers.ValidationError({"area_m2": [_("The area must be more than 0 m².")]})
        if building:
            attrs["project"] = building.project
        return attrs


class ResidentSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="unit.label", read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "phone", "id_number", "unit", "unit_label", "role", "email", "move_in_date",
                  "move_out_date", "emergency_contact", "emergency_phone"]
        extra_kwargs = {"id_number": {"required": False}}

    def to_internal_value(self, data):
        # The masked number sent back unchanged (a client that PUTs what it read) keeps the stored one.
        sent = data.get("id_number") if hasattr(data, "get") else None
        if isinstance(sent, str) and "*" in sent and self.instance is not None \
                and mask_id_number(self.instance.id_number) == sent.strip().upper():
            data = {key: value for key, value in data.items() if key != "id_number"}
        return super().to_internal_value(data)

    def validate_id_number(self, value):
        return (value or "").strip().upper()

    def to_representation(self, instance):
        """Identity numbers are masked unless the reader's post grants ``archive.view_identity`` (the full number
        is then one audited reveal away: ``POST /api/v1/residents/{id}/identity``)."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if data.get("id_number") and not (request and getattr(request, "_identity_revealed", None) == instance.pk):
            data["id_number"] = mask_id_number(data["id_number"])
        if not (request and may_see_contacts(request.user, instance.unit.project_id)):
            data.update(masked_contacts(instance))
        return data


class ParkingSpaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParkingSpace
        fields = ["id", "project", "code", "kind", "unit"]


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "unit", "plate", "description", "parking_space"]
