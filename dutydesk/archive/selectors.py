from django.db.models import Q

from dutydesk.archive.models import Building, Project, Resident, Unit
from dutydesk.org import access


def units_visible_to(user):
    return Unit.objects.filter(access.unit_scope(user, "archive.view")).select_related("building", "project")


def residents_visible_to(user):
    return Resident.objects.filter(access.resident_scope(user, "archive.view")).select_related("unit__building")


def projects_visible_to(user):
    if user.is_superuser:
        return Project.objects.all()
    if access.holdings(user):
        return Project.objects.filter(pk__in=access.project_ids(user))
    return Project.objects.filter(pk__in=Resident.objects.filter(user=user).values("unit__project_id"))


def buildings_visible_to(user):
    return Building.objects.filter(project__in=projects_visible_to(user))


def search_residents(queryset, q):
    """Name, phone or unit number ("A-1203" or "1203")."""
    q = (q or "").strip()
    if not q:
        return queryset
    condition = Q(name__icontains=q) | Q(phone__contains=q) | Q(unit__number__icontains=q)
    if "-" in q:
        building, number = q.split("-", 1)
        condition |= Q(unit__building__name__iexact=building, unit__number__iexact=number)
    return queryset.filter(condition)


def search_units(queryset, q):
    q = (q or "").strip()
    if not q:
        return queryset
    condition = Q(number__icontains=q) | Q(residents__name__icontains=q) | Q(residents__phone__contains=q)
    if "-" in q:
        building, number = q.split("-", 1)
        condition |= Q(building__name__iexact=building, number__iexact=number)
    return queryset.filter(pk__in=Unit.objects.filter(condition).values("pk"))
