import pytest
from django.core.exceptions import ValidationError

from dutydesk.archive.validators import validate_phone, validate_prc_id
from tests.factories import valid_id_number


def test_it_accepts_a_real_format_id_number_with_an_x_check_character():
    validate_prc_id("11010519491231002X")  # the GB 11643 example


@pytest.mark.parametrize("value", ["11010519491231002Y", "110105194912310021", "1101051949123100", "110105194913310025"])
def test_it_rejects_malformed_id_numbers(value):
    with pytest.raises(ValidationError):
        validate_prc_id(value)


def test_generated_id_numbers_are_valid():
    for serial in range(50):
        validate_prc_id(valid_id_number(serial))


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "0755-83456789", "01083456789"])
def test_it_accepts_mobile_and_landline_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "83456789", "phone"])
def test_it_rejects_what_is_not_a_phone_number(value):
    with pytest.raises(ValidationError):
        validate_phone(value)
