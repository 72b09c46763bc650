"""Factories for tests (factory_boy). Build on these; do not dump fixtures from a database."""
import itertools
from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from dutydesk.archive.models import Building, Project, Resident, Unit
from dutydesk.archive.validators import id_check_char
from dutydesk.org.models import Organisation, Post, PostHolding

_phones = itertools.count(13800000000)


def valid_id_number(serial=1, born=date(1985, 6, 15)):
    first17 = f"110101{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = "test-org"
    name = "测试物业公司"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"测试花园{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"B{n}")
    floors = 30


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    project = factory.LazyAttribute(lambda u: u.building.project)
    floor = 3
    number = factory.Sequence(lambda n: f"{3}{n:03d}")
    area_m2 = Decimal("88.50")
    status = "occupied"


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"业主{n}")
    phone = factory.LazyFunction(lambda: str(next(_phones)))
    role = "owner"


def hold(user, post_code, project, *, building=None, floor_from=None, floor_to=None):
    """Give ``user`` the post ``post_code`` in ``project`` (the catalogue must be loaded)."""
    from dutydesk.org import access

    holding = PostHolding.objects.create(user=user, post=Post.objects.get(code=post_code), project=project,
                                         building=building, floor_from=floor_from, floor_to=floor_to)
    access.forget(user)
    return holding
