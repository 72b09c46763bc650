"""Money and rates as people read them: ¥222,586.29 and 88.57 %. Amounts stay ``Decimal`` throughout."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dutydesk.core.errors import BusinessRuleError

CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal | None:
    """A Decimal from a Decimal, int or numeric string; ``None`` for empty or junk input (never a float)."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value: Decimal | int | str) -> Decimal:
    """Rounded to the cent, half up (the rule for every amount we store or print, and for the other two-place
    figures people enter: meter readings, areas, KPI values)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | int | str | None) -> str:
    """An amount as the API sends it: ``"1234.50"``; empty → ``"0.00"``."""
    return str(money(value or 0))


def to_cents(value: object) -> Decimal | None:
    """Input as people type it (a string, an int, a Decimal) rounded to the cent; ``None`` for empty or junk input,
    NaN, infinities and numbers too long to hold: the caller says what is wrong in its own words."""
    amount = to_decimal(value)
    if amount is None or not amount.is_finite():
        return None
    try:
        return money(amount)
    except InvalidOperation:  # more digits than the decimal context holds
        return None


def parse_amount(value: object, field: str, *, message: str | None = None, required: bool = False) -> Decimal | None:
    """User input for ``field`` rounded to the cent; empty input is ``None`` (unless ``required``), junk raises
    ``BusinessRuleError({field: [message]})`` (by default "Enter an amount such as 120.00."). Range rules (above
    zero, at most 100) stay with the caller, which knows them."""
    if value in (None, "") and not required:
        return None
    amount = to_cents(value)
    if amount is None:
        raise BusinessRuleError({field: [message or _("Enter an amount such as 120.00.")]})
    return amount


def format_amount(value: object, symbol: str = "¥") -> str:
    """``Decimal("222586.2")`` → ``"¥222,586.20"``; empty → ``""``."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    amount = money(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


def format_rate(value: object, places: int = 2) -> str:
    """A rate 0..1 (``Decimal("0.8857")``) → ``"88.57 %"``; empty → ``"—"``."""
    rate = to_decimal(value)
    if rate is None:
        return "—"
    percent = (rate * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{percent:,.{places}f} %"


def format_percent(value: object, places: int = 2) -> str:
    """A figure already in percent (``Decimal("88.571")``) → ``"88.57 %"``."""
    figure = to_decimal(value)
    if figure is None:
        return "—"
    return format_rate(figure / 100, places)


CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")
CAPITAL_GROUPS = ("", "万", "亿", "万亿")


def _yuan_in_capitals(yuan: int) -> str:
    """A whole number of yuan in capitals, read in groups of four digits (万, 亿): one 零 stands
    for a run of zeros inside a group or opening one, none for zeros closing a group or the number."""
    digits = str(yuan)
    words, zero_pending = [], False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        digit = int(char)
        if digit:
            if zero_pending:
                words.append("零")
            words.append(CAPITAL_DIGITS[digit] + CAPITAL_UNITS[position % 4])
            zero_pending = False
        else:
            zero_pending = True
        if position % 4 == 0 and position:
            group = digits[max(0, index - 3):index + 1]
            if int(group):
                words.append(CAPITAL_GROUPS[position // 4])
                zero_pending = False  # zeros closing a group are not read: 壹佰万壹仟, but 壹拾万零壹佰
    return "".join(words)


def amount_in_chinese_capitals(value: object, prefix: str = "人民币") -> str:
    """An amount as written on receipts and cheques (大写金额), after the People's Bank rules for
    filling in bills: ``Decimal("1234.50")`` → ``"人民币壹仟贰佰叁拾肆元伍角整"``,
    ``0.05`` → ``"人民币伍分"``, ``1000000.01`` → ``"人民币壹佰万元零壹分"``, ``0`` → ``"人民币零元整"``.
    Rounded to the cent (half up); 整 closes an amount without 分; a negative amount reads 负….
    Raises ``ValueError`` for junk and for amounts of 10¹⁶ yuan or more."""
    amount = to_decimal(value)
    if amount is None or not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    amount = money(amount)
    sign = "负" if amount < 0 else ""
    cents_total = int(abs(amount) * 100)
    yuan, cents = divmod(cents_total, 100)
    if yuan >= 10 ** 16:
        raise ValueError(f"amount too large: {value!r}")
    jiao, fen = divmod(cents, 10)
    if not yuan and not cents:
        return f"{prefix}零元整"
    words = _yuan_in_capitals(yuan) + "元" if yuan else ""
    if jiao:
        words += CAPITAL_DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    words += CAPITAL_DIGITS[fen] + "分" if fen else "整"
    return f"{prefix}{sign}{words}"
