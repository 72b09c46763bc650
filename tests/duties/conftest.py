import pytest

from tests.factories import UserFactory, hold


@pytest.fixture
def second_frontdesk(staff, project):
    user = UserFactory(username="frontdesk2")
    hold(user, "frontdesk-assistant", project)
    return user
