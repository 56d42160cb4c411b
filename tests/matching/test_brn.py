"""Business registration numbers: check digit, normalisation, messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seoulhub.matching.brn import InvalidBRN, brn_check_digit, format_brn, validate_brn


@pytest.mark.parametrize("published", ["124-81-00998", "220-81-62517"])  # Samsung Electronics, NAVER (public)
def test_published_registration_numbers_validate(published):
    assert validate_brn(published) == published.replace("-", "")


def test_a_wrong_check_digit_is_refused_with_the_expected_digit():
    with pytest.raises(InvalidBRN, match="check digit.*should be 8"):
        validate_brn("124-81-00999")


@pytest.mark.parametrize(
    "raw, words",
    [
        ("12481009", "10 digits"),
        ("124-81-0099O", "only digits"),
        ("", "10 digits"),
        ("１２４８１００９９８", "only digits"),
    ],
)
def test_malformed_numbers_get_a_message_saying_what_is_wrong(raw, words):
    with pytest.raises(InvalidBRN, match=words):
        validate_brn(raw)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9))
def test_exactly_one_last_digit_validates_for_any_first_nine(first_nine, last):
    number = first_nine + str(last)
    if last == brn_check_digit(first_nine):
        assert validate_brn(format_brn(number)) == number
    else:
        with pytest.raises(InvalidBRN):
            validate_brn(number)
