"""Amounts in soles are read the ways people write them and kept as Decimal, never float."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from instruments.forms import parse_soles


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("S/ 1,250,000.50", Decimal("1250000.50")),
        ("1250000.5", Decimal("1250000.50")),
        ("S/. 300", Decimal("300.00")),
        ("S/1,250", Decimal("1250.00")),
        ("PEN 99.99", Decimal("99.99")),
        ("1 250 000,50", Decimal("1250000.50")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("0", Decimal("0.00")),
    ],
)
def test_typed_amounts_become_exact_decimals(typed, amount):
    parsed = parse_soles(typed)
    assert parsed == amount
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "12,34,5", "S/ 1,2,3.4.5"])
def test_what_is_not_an_amount_in_soles_is_refused(typed):
    with pytest.raises(ValueError):
        parse_soles(typed)


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_an_amount_written_the_peruvian_way_reads_back_the_same(amount):
    assert parse_soles(f"S/ {amount:,.2f}") == amount
    assert parse_soles(f"{amount:.2f}") == amount


def test_an_absurdly_long_amount_is_refused_as_too_large_not_a_crash():
    with pytest.raises(ValueError, match=r"too large|demasiado"):
        parse_soles("9" * 400)


@given(st.text(max_size=60) | st.from_regex(r"S/ ?[0-9,.\s]{1,40}", fullmatch=True))
def test_any_text_gives_an_amount_or_a_message_never_a_crash(text):
    try:
        amount = parse_soles(text)
    except ValueError:
        return
    assert isinstance(amount, Decimal) and amount >= 0


@pytest.mark.parametrize("value", [Decimal("949140.5"), Decimal("1250000.125"), Decimal("-0.001"), 0.5])
def test_the_pages_and_the_reports_write_an_amount_the_same_way(value):
    from instruments.templatetags.instruments_tags import soles
    from reports.formatting import money

    # Rounded half up and never "-0.00" on both; only the space differs (a no-break one in the PDF).
    assert money(value) == soles(value).replace(" ", "\u00a0")
    assert soles(Decimal("1250000.125")) == "S/ 1,250,000.13"
    assert soles(None) == "—"
