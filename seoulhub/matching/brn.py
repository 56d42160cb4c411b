"""Korean business registration number (사업자등록번호, 10 digits: 3-2-5) and its check digit.

The tenth digit is the check digit of the National Tax Service algorithm: weights 1,3,7,1,3,7,1,3,5
over the first nine digits, plus the tens digit of (ninth digit x 5); the check digit is
(10 - total mod 10) mod 10.
"""

from __future__ import annotations

import re

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_SEPARATORS = re.compile(r"[\s\-.]")


class InvalidBRN(ValueError):
    """Raised with a message a person can act on; `reason` and `params` let a caller translate it."""

    def __init__(self, message: str, reason: str = "", **params):
        super().__init__(message)
        self.reason = reason
        self.params = params


def normalise_brn(raw: str) -> str:
    """Strip separators ("123-45-67890" -> "1234567890"); does not validate."""
    return _SEPARATORS.sub("", raw or "")


def brn_check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def validate_brn(raw: str) -> str:
    """Return the normalised 10-digit number or raise InvalidBRN saying what is wrong."""
    brn = normalise_brn(raw)
    if not brn:
        raise InvalidBRN("business registration number is empty: it must have 10 digits", "empty")
    if not brn.isascii() or not brn.isdigit():
        raise InvalidBRN(
            f"business registration number '{raw}' must contain only digits (and hyphens)", "digits", raw=raw
        )
    if len(brn) != 10:
        raise InvalidBRN(
            f"business registration number '{raw}' must have 10 digits, not {len(brn)}",
            "length",
            raw=raw,
            count=len(brn),
        )
    expected = brn_check_digit(brn[:9])
    if int(brn[9]) != expected:
        raise InvalidBRN(
            f"business registration number '{raw}' fails its check digit (last digit should be {expected})",
            "check_digit",
            raw=raw,
            expected=expected,
        )
    return brn


def format_brn(brn: str) -> str:
    """ "1234567890" -> "123-45-67890"."""
    return f"{brn[:3]}-{brn[3:5]}-{brn[5:]}" if len(brn) == 10 else brn
