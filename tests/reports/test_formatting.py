"""Numbers, dates and text as the case study prints them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from reports.formatting import (
    clip,
    long_date,
    markup,
    money,
    number,
    of_answers,
    pdf_text,
    percent,
    period,
    quantity,
    statistic,
    year,
)


@pytest.fixture(params=["es", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


def test_numbers_use_comma_thousands_and_point_decimals_in_both_languages(language):
    assert number(Decimal("1234.5"), 2) == "1,234.50"
    assert number(1570000) == "1,570,000"
    # A no-break space: "S/" never ends a line apart from its amount.
    assert money(Decimal("949140.5")) == "S/\u00a0949,140.50"


def test_numbers_round_half_up_instead_of_truncating(language):
    assert number(Decimal("2.765"), 2) == "2.77"
    assert number(Decimal("0.5")) == "1"
    assert number(2.675, 2) == "2.68"  # the float's repr, not its binary expansion


def test_a_value_that_rounds_to_zero_never_prints_a_minus_sign(language):
    assert number(Decimal("-0.001"), 2) == "0.00"


def test_measured_values_drop_trailing_zeros(language):
    assert quantity(Decimal("87.0000")) == "87"
    assert quantity(Decimal("11.5000")) == "11.5"
    assert quantity(Decimal("1250.1234")) == "1,250.12"


def test_percentages_are_whole_by_default(language):
    assert percent(0.5769) == "58%"
    assert percent(1.3818) == "138%"
    assert percent(0.14761, 1) == "14.8%"
    assert percent(-0.125) == "-13%"


def test_spanish_dates_are_written_out_in_spanish():
    with translation.override("es"):
        assert long_date(datetime.date(2025, 5, 12)) == "12 de mayo de 2025"


def test_english_dates_are_day_month_year():
    with translation.override("en"):
        assert long_date(datetime.date(2025, 5, 12)) == "12 May 2025"


def test_a_period_reads_with_either_end_missing():
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)
    with translation.override("en"):
        assert period(start, end) == "1 January 2025 to 30 June 2025"
        assert period(start, None) == "from 1 January 2025"
        assert period(None, end) == "up to 30 June 2025"
        assert period(None, None) == "all records to date"


def test_pdf_text_composes_accents_typed_as_two_characters():
    assert pdf_text("Nun\u0303oa") == "Nuñoa"


def test_pdf_text_keeps_every_letter_since_the_fonts_are_embedded():
    assert pdf_text("Māori ñandú chaki wasi\u02bc 🦙") == "Māori ñandú chaki wasi\u02bc 🦙"


def test_pdf_text_shows_control_characters_as_visible_symbols():
    assert pdf_text("a\x00b\x1bc\td\r\ne") == "a\u2400b\u241bc\td\ne"


def test_markup_sets_characters_the_font_lacks_in_a_fallback_font_and_escapes_them_too():
    assert markup("<b>🦙</b>") == '&lt;b&gt;<font name="NotoEmoji">🦙</font>&lt;/b&gt;'


def test_markup_escapes_what_a_paragraph_would_read_as_tags():
    assert markup("A&B <b>\nnext") == "A&amp;B &lt;b&gt;<br/>next"


def test_years_print_without_grouping_or_decimals(language):
    assert year(Decimal("1997.73")) == "1998"
    assert statistic(Decimal("2022"), "year") == "2022"
    assert statistic(Decimal("65.7272"), "integer") == "65.7"
    assert statistic(Decimal("32"), "integer") == "32"
    assert statistic(Decimal("12.845"), "decimal") == "12.85"


def test_counts_of_answers_read_as_a_sentence():
    with translation.override("es"):
        assert of_answers(3, 11) == "3 de 11 respuestas"
    with translation.override("en"):
        assert of_answers(1, 1) == "1 of 1 answer"


def test_long_text_is_cut_at_a_word_with_an_ellipsis():
    text = "palabra " * 100
    cut = clip(text, 50)
    assert len(cut) <= 50 and cut.endswith("…") and "palab…" not in cut
