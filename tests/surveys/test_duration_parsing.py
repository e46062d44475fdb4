"""The interview's duration: any text gives a duration or a message, never a crash."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.forms import parse_duration


@pytest.mark.parametrize("typed", ["9" * 400, "99999999999:30", "1" * 30 + "h"])
def test_absurdly_long_numbers_are_refused(typed):
    with pytest.raises(ValueError):
        parse_duration(typed)


@given(st.text(max_size=40) | st.from_regex(r"\d{1,12}(:\d{1,3}|\s*h\s*\d{0,6})?", fullmatch=True))
def test_any_text_gives_a_duration_or_a_value_error(text):
    try:
        duration = parse_duration(text)
    except ValueError:
        return
    assert duration is None or datetime.timedelta(0) <= duration <= datetime.timedelta(hours=24)
