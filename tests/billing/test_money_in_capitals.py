"""Amounts in Chinese capitals (大写金额) as written on receipts, after the People's Bank rules for
filling in bills: 零 for a run of zeros inside the number, 整 after 元 or 角, 分 closes without 整."""
from decimal import Decimal

import pytest

from dutydesk.core.money import amount_in_chinese_capitals


@pytest.mark.parametrize("amount, words", [
    ("0", "人民币零元整"),
    ("0.00", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.50", "人民币伍角整"),
    ("0.55", "人民币伍角伍分"),
    ("1", "人民币壹元整"),
    ("1.05", "人民币壹元零伍分"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("100.10", "人民币壹佰元壹角整"),
    ("101", "人民币壹佰零壹元整"),
    ("1001", "人民币壹仟零壹元整"),
    ("1234.50", "人民币壹仟贰佰叁拾肆元伍角整"),
    ("309.75", "人民币叁佰零玖元柒角伍分"),
    ("10000", "人民币壹万元整"),
    ("10010", "人民币壹万零壹拾元整"),
    ("100100", "人民币壹拾万零壹佰元整"),
    ("1000000.01", "人民币壹佰万元零壹分"),
    ("1001000", "人民币壹佰万壹仟元整"),
    ("20000000", "人民币贰仟万元整"),
    ("100000000", "人民币壹亿元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("100001000", "人民币壹亿零壹仟元整"),
    ("1000000000001", "人民币壹万亿零壹元整"),
    ("123456789.00", "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
    ("222586.29", "人民币贰拾贰万贰仟伍佰捌拾陆元贰角玖分"),
    ("1000000000000", "人民币壹万亿元整"),
])
def test_amounts_read_as_written_on_a_receipt(amount, words):
    assert amount_in_chinese_capitals(Decimal(amount)) == words


def test_it_rounds_to_the_cent_half_up():
    assert amount_in_chinese_capitals(Decimal("0.005")) == "人民币壹分"
    assert amount_in_chinese_capitals(Decimal("9.994")) == "人民币玖元玖角玖分"
    assert amount_in_chinese_capitals(Decimal("9.995")) == "人民币壹拾元整"


def test_it_accepts_ints_and_strings_and_never_floats_silently():
    assert amount_in_chinese_capitals(12) == amount_in_chinese_capitals("12.00") == "人民币壹拾贰元整"


def test_a_negative_amount_reads_fu():
    assert amount_in_chinese_capitals(Decimal("-12.30")) == "人民币负壹拾贰元叁角整"


def test_the_prefix_can_be_left_out():
    assert amount_in_chinese_capitals(Decimal("7"), prefix="") == "柒元整"


@pytest.mark.parametrize("junk", ["", None, "abc", "NaN", "Infinity", Decimal("1e16")])
def test_junk_and_absurd_amounts_are_refused(junk):
    with pytest.raises(ValueError):
        amount_in_chinese_capitals(junk)
