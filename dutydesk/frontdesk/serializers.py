"""Input and output schemas of the front-desk API (shared/API.md "Front desk registers").
The staff screen's forms use the same input serializers, so both give the same field errors."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.validators import validate_phone, validate_prc_id
from dutydesk.core import clock
from dutydesk.core.privacy import mask_id_number
from dutydesk.frontdesk.models import (AccessPass, Card, CardBatch, ExpectedVisitor, GoodsRelease, Key, KeyCount,
                                       KeyCountLine, KeyLoan, MailItem, Visit)
from dutydesk.org import access


def _user(field):
    return field.context["request"].user


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "A-1201"}],
                      "description": "unit id, or building-number label"})
class UnitField(serializers.Field):
    """A unit the user may act on with ``perm``: an id (API) or a label "A-1201" (typed at the desk).
    A unit outside the user's scope is reported as unknown, like one that does not exist."""

    default_error_messages = {"unknown": _("Unknown unit.")}

    def __init__(self, perm, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        units = Unit.objects.filter(access.unit_scope(_user(self), self.perm)).select_related("project", "building")
        text = str(data).strip()
        unit = None
        if text.isdigit():
            unit = units.filter(pk=int(text)).first()
        elif "-" in text:
            building, number = text.split("-", 1)
            unit = units.filter(building__name__iexact=building.strip(), number__iexact=number.strip()).first()
        if unit is None:
            self.fail("unknown")
        return unit

    def to_representation(self, value):
        return value.pk


class ProjectField(serializers.IntegerField):
    """Optional project id; staff with the permission in one project only may leave it out."""

    def __init__(self, perm, **kwargs):
        self.perm = perm
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        project_id = super().to_internal_value(data)
        project = Project.objects.filter(pk=project_id).first()
        if project is None or not access.has_perm(_user(self), self.perm, project):
            raise serializers.ValidationError(_("Unknown project."))
        return project


def default_project(serializer, perm, data):
    """The project of the write: given, or the only one where the user holds ``perm``."""
    if data.get("project") is not None:
        return data["project"]
    user = serializer.context["request"].user
    ids = access.project_ids(user, perm) if not user.is_superuser else set(Project.objects.values_list("pk", flat=True))
    if len(ids) != 1:
        raise serializers.ValidationError({"project": [_("Choose the project.")]})
    return Project.objects.get(pk=next(iter(ids)))


Phone = lambda **kw: serializers.CharField(max_length=20, validators=[validate_phone], **kw)  # noqa: E731
StartedAt = lambda: serializers.DateTimeField(required=False, allow_null=True, help_text=(  # noqa: E731
    "When the clerk opened the form (or the visitor arrived); default now."))


# ---------------------------------------------------------------- keys
class KeySerializer(serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    borrower_name = serializers.CharField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Key
        fields = ["id", "project", "label", "unit", "unit_label", "kind", "location", "status", "due_at",
                  "borrower_name", "overdue", "lost_at", "note"]

    def get_unit_label(self, key) -> str | None:
        return str(key.unit) if key.unit_id else None

    def get_overdue(self, key) -> bool:
        due = getattr(key, "due_at", None)
        return bool(key.status == Key.Status.LENT and due and due <= clock.now())


class KeyCreateSerializer(serializers.Serializer):
    project = ProjectField("frontdesk.keys")
    # a field named "label": DRF's metaclass moves it into _declared_fields, so Field.label is not overwritten
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=Key.Kind.choices, default=Key.Kind.CUSTODY)
    unit = UnitField("frontdesk.keys", required=False, allow_null=True)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    started_at = StartedAt()

    def validate(self, data):
        unit = data.get("unit")
        if unit is not None and data.get("project") is None:
            data["project"] = unit.project
        else:
            data["project"] = default_project(self, "frontdesk.keys", data)
        if data["kind"] == Key.Kind.CUSTODY and unit is None:
            raise serializers.ValidationError({"unit": [_("A key held in custody belongs to a unit.")]})
        return data


class KeyLendSerializer(serializers.Serializer):
    borrower_name = serializers.CharField(max_length=60)
    borrower_phone = Phone()
    purpose = serializers.CharField(max_length=200)
    started_at = StartedAt()


class KeyLoanSerializer(serializers.ModelSerializer):
    key_label = serializers.CharField(source="key.label", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = KeyLoan
        fields = ["id", "key", "key_label", "borrower_name", "borrower_phone", "purpose", "lent_by", "lent_at",
                  "due_at", "returned_at", "returned_to", "started_at", "finished_at", "overdue"]

    def get_overdue(self, loan) -> bool:
        return loan.returned_at is None and loan.due_at <= clock.now()


class KeyCountCreateSerializer(serializers.Serializer):
    project = ProjectField("frontdesk.keys")
    confirmed = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    unexpected = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        data["project"] = default_project(self, "frontdesk.keys", data)
        return data


class KeyCountLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyCountLine
        fields = ["key", "label", "status_in_register", "result"]


class KeyCountSerializer(serializers.ModelSerializer):
    lines = KeyCountLineSerializer(many=True, read_only=True)

    class Meta:
        model = KeyCount
        fields = ["id", "project", "counted_by", "counted_at", "expected", "confirmed", "missing", "unexpected",
                  "note", "lines"]


class MaskedIdentity:
    """Identity numbers in reads are masked unless the reader's post grants ``archive.view_identity`` in the
    object's project (shared/API.md "Auth and limits")."""

    identity_field = "id_number"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if data.get(self.identity_field) and not (
                request and access.has_perm(request.user, "archive.view_identity", instance.project_id)):
            data[self.identity_field] = mask_id_number(data[self.identity_field])
        return data


# ---------------------------------------------------------------- visitors
class VisitSerializer(MaskedIdentity, serializers.ModelSerializer):
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)
    inside = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "project", "unit", "unit_label", "visitor_name", "visitor_phone", "id_number", "purpose",
                  "headcount", "pass_code", "arrived_at", "valid_until", "left_at", "inside", "registered_by",
                  "started_at", "finished_at"]

    def get_inside(self, visit) -> bool:
        return visit.left_at is None


class VisitCreateSerializer(serializers.Serializer):
    visitor_name = serializers.CharField(max_length=60, required=False)
    visitor_phone = Phone(required=False)
    id_number = serializers.CharField(max_length=18, required=False, allow_null=True, allow_blank=True,
                                      validators=[validate_prc_id])
    unit = UnitField("frontdesk.visitors", required=False)
    purpose = serializers.CharField(max_length=200)
    headcount = serializers.IntegerField(min_value=1, max_value=500, default=1)
    started_at = StartedAt()
    expected_code = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                          help_text="A resident's pre-registration code: fills name, phone and unit.")

    def validate_id_number(self, value):
        return (value or "").strip().upper()

    def validate(self, data):
        code = (data.pop("expected_code", "") or "").strip().upper()
        data["expected"] = None
        if code:
            from dutydesk.frontdesk.selectors import expected_visitors_for_desk

            expected = expected_visitors_for_desk(self.context["request"].user).filter(code=code).first()
            if expected is None:
                raise serializers.ValidationError({"expected_code": [_("Unknown pre-registration code.")]})
            data["expected"] = expected
            data.setdefault("visitor_name", expected.visitor_name)
            if expected.visitor_phone:
                data.setdefault("visitor_phone", expected.visitor_phone)
            data.setdefault("unit", expected.unit)
        missing = {name: [_("This field is required.")] for name in ("visitor_name", "visitor_phone", "unit")
                   if not data.get(name)}
        if missing:
            raise serializers.ValidationError(missing)
        return data


class VisitCreatedSerializer(VisitSerializer):
    pass_url = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "pass_url"]

    def get_pass_url(self, visit) -> str:
        from django.urls import reverse

        return reverse("frontdesk:visit-pass", args=[visit.pk])


class ExpectedVisitorSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)
    used = serializers.SerializerMethodField()

    class Meta:
        model = ExpectedVisitor
        fields = ["id", "unit", "unit_label", "visitor_name", "visitor_phone", "expected_on", "code", "used", "visit"]
        read_only_fields = fields

    def get_used(self, expected) -> bool:
        return expected.visit_id is not None


class ExpectedVisitorCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, help_text="One of the resident's units (default: their home).")
    visitor_name = serializers.CharField(max_length=60)
    visitor_phone = Phone(required=False, allow_blank=True, default="")
    expected_on = serializers.DateField()

    def validate(self, data):
        homes = Resident.objects.filter(user=self.context["request"].user, move_out_date__isnull=True).select_related("unit")
        if data.get("unit") is not None:
            homes = homes.filter(unit_id=data["unit"])
        data["resident"] = homes.first()
        if data["resident"] is None:
            raise serializers.ValidationError({"unit": [_("Unknown unit.")]})
        return data


# ---------------------------------------------------------------- goods release
class GoodsReleaseSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)

    class Meta:
        model = GoodsRelease
        fields = ["id", "project", "unit", "unit_label", "items", "carrier_name", "carrier_phone", "authorisation",
                  "authorised_by", "checked_out_by", "started_at", "finished_at"]


class GoodsReleaseCreateSerializer(serializers.Serializer):
    unit = UnitField("frontdesk.goods")
    items = serializers.CharField(max_length=2000)
    carrier_name = serializers.CharField(max_length=60)
    carrier_phone = Phone(required=False, allow_blank=True, default="")
    authorised_by = serializers.CharField(max_length=60)
    authorisation = serializers.ChoiceField(choices=GoodsRelease.Authorisation.choices,
                                            default=GoodsRelease.Authorisation.RESIDENT)
    started_at = StartedAt()


# ---------------------------------------------------------------- access passes
class AccessPassSerializer(MaskedIdentity, serializers.ModelSerializer):
    identity_field = "holder_id_number"
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)
    expired = serializers.SerializerMethodField()

    class Meta:
        model = AccessPass
        fields = ["id", "project", "number", "kind", "holder_name", "holder_phone", "holder_id_number", "unit",
                  "unit_label", "valid_from", "valid_until", "status", "expired", "renewals", "issued_by",
                  "started_at", "finished_at", "cancelled_at"]

    def get_expired(self, access_pass) -> bool:
        return access_pass.status == AccessPass.Status.ACTIVE and access_pass.valid_until < clock.today()


class AccessPassCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AccessPass.Kind.choices)
    holder_name = serializers.CharField(max_length=60)
    holder_phone = Phone(required=False, allow_blank=True, default="")
    holder_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, allow_null=True,
                                             validators=[validate_prc_id])
    unit = UnitField("frontdesk.passes")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    started_at = StartedAt()


class AccessPassRenewSerializer(serializers.Serializer):
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField()
    started_at = StartedAt()


# ---------------------------------------------------------------- IC cards
class CardBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = CardBatch
        fields = ["id", "project", "bought_on", "quantity", "supplier", "recorded_by", "recorded_at"]


class CardBatchCreateSerializer(serializers.Serializer):
    project = ProjectField("frontdesk.cards")
    bought_on = serializers.DateField()
    quantity = serializers.IntegerField(min_value=1, max_value=100000)
    supplier = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate(self, data):
        data["project"] = default_project(self, "frontdesk.cards", data)
        return data


class CardSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)

    class Meta:
        model = Card
        fields = ["id", "project", "number", "resident", "resident_name", "unit", "unit_label", "photo", "status",
                  "made_by", "made_at", "confirmed_by", "confirmed_at", "returned_at", "scrapped_at", "scrap_reason",
                  "started_at", "finished_at"]


class CardCreateSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    number = serializers.CharField(max_length=30)
    photo = serializers.ImageField(required=False, allow_null=True)
    started_at = StartedAt()

    def validate_resident(self, value):
        resident = (Resident.objects.filter(access.resident_scope(self.context["request"].user, "frontdesk.cards"))
                    .select_related("unit").filter(pk=value).first())
        if resident is None:
            raise serializers.ValidationError(_("Unknown resident."))
        return resident


class StartedAtSerializer(serializers.Serializer):
    started_at = StartedAt()


class CardScrapSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# ---------------------------------------------------------------- mail
class MailItemSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="unit.__str__", read_only=True)
    floor = serializers.IntegerField(source="unit.floor", read_only=True)

    class Meta:
        model = MailItem
        fields = ["id", "project", "unit", "unit_label", "floor", "kind", "sender", "tracking_number", "description",
                  "signed_by", "signed_at", "residents_notified", "status", "handed_over_at", "handed_over_by",
                  "collected_by_name"]


class MailItemCreateSerializer(serializers.Serializer):
    unit = UnitField("frontdesk.mail")
    kind = serializers.ChoiceField(choices=MailItem.Kind.choices, default=MailItem.Kind.PARCEL)
    sender = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MailCollectSerializer(serializers.Serializer):
    collected_by_name = serializers.CharField(max_length=60)
