"""The property archive: projects, buildings, units, residents, parking spaces and vehicles."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.archive.validators import validate_phone, validate_prc_id
from dutydesk.core.choices import ChoiceLabels


class Project(models.Model):
    """A managed property (项目/园区)."""

    organisation = models.ForeignKey("org.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="projects")
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Service calendar: service 09:00–24:00 every day by default (seeds/002_59da8478c28f7f86.txt:1118 篇6).
    service_start = models.TimeField(_("service hours start"), default="09:00")
    service_end = models.TimeField(_("service hours end (00:00 = midnight)"), default="00:00")
    payment_instructions = models.TextField(_("how to pay"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=60)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="building_name_unique_in_project")]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return self.name


def unit_label(building_name: str | None, number: str) -> str:
    """A unit as staff write it: "A-1201" (building-number), or the number alone for a unit outside a building."""
    return f"{building_name}-{number}" if building_name is not None else number


class Unit(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        VACANT = "vacant", _("vacant")
        OCCUPIED = "occupied", _("occupied")
        RENOVATING = "renovating", _("renovating")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="units", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building"))
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("unit number"), max_length=20)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VACANT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["building_id", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique_in_building"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="unit_area_positive"),
        ]
        indexes = [models.Index(fields=["project", "building", "floor"]),
                   models.Index(fields=["building", "floor", "number"], name="unit_building_floor_number")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return unit_label(self.building.name if self.building_id else None, self.number)

    @property
    def label(self) -> str:
        return str(self)


class Resident(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        TENANT = "tenant", _("tenant")
        FAMILY = "family", _("family member")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="residents", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True, validators=[validate_prc_id])
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)
    email = models.EmailField(_("e-mail"), blank=True)
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)
    move_out_date = models.DateField(_("move-out date"), null=True, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=60, blank=True)
    emergency_phone = models.CharField(_("emergency phone"), max_length=20, blank=True, validators=[validate_phone])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="resident_profiles", verbose_name=_("portal login"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "id"]
        indexes = [models.Index(fields=["phone"]), models.Index(fields=["name"])]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return self.name


class ParkingSpace(models.Model):
    class Kind(models.TextChoices):
        OWNED = "owned", _("owned")
        RENTED = "rented", _("rented")
        VISITOR = "visitor", _("visitor")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="parking_spaces")
    code = models.CharField(_("space number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RENTED)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="parking_spaces",
                             verbose_name=_("unit"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="parking_code_unique_in_project")]
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")

    def __str__(self) -> str:
        return self.code


class Vehicle(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("unit"))
    plate = models.CharField(_("plate number"), max_length=12, unique=True)
    description = models.CharField(_("make and colour"), max_length=60, blank=True)
    parking_space = models.ForeignKey(ParkingSpace, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="vehicles", verbose_name=_("parking space"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["plate"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self) -> str:
        return self.plate


class IdentityReveal(models.Model):
    """Who saw a resident's full identity number, and when (the number is masked everywhere else)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="identity_reveals",
                                 verbose_name=_("resident"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=pgettext_lazy("identity reveal", "by"))
    at = models.DateTimeField(pgettext_lazy("identity reveal", "at"), auto_now_add=True)
    reason = models.CharField(pgettext_lazy("identity reveal", "reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("identity number reveal")
        verbose_name_plural = _("identity number reveals")
