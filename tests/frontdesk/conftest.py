import pytest

from dutydesk.frontdesk.models import Key
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory


@pytest.fixture
def key(unit, project):
    return Key.objects.create(project=project, label="A-1201-1", unit=unit, location="柜1-01")


@pytest.fixture
def public_key(project):
    return Key.objects.create(project=project, label="天台门", kind="public", location="柜2-01")


@pytest.fixture
def elsewhere(db):
    """A second project where the test staff hold no post."""
    project = ProjectFactory(code="elsewhere", name="别处花园")
    unit = UnitFactory(building=BuildingFactory(project=project, name="C"), floor=5, number="501")
    return {"project": project, "unit": unit,
            "key": Key.objects.create(project=project, label="C-501-1", unit=unit)}


LEND = {"borrower_name": "李四", "borrower_phone": "13912345678", "purpose": "装修工人进场"}
