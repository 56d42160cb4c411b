"""Numbers and text from request parameters, read without trusting them.

`str.isdigit()` is true for "²" and other digits `int()` refuses, and a 20-digit number overflows
the database's 64-bit integers; so parameters are read here and nowhere else with int().
"""

import re

# The largest id a BigAutoField (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# Characters no text column can hold (PostgreSQL refuses NUL; lone surrogates cannot be encoded).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 controls except tab, line feed and carriage return, plus DEL and the C1 controls: they have
# no meaning in a name or description, and XML (XLSX) cannot hold most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_int(raw, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The integer written in `raw` with ASCII digits only, if it is within [minimum, maximum];
    otherwise None. Surrounding spaces are allowed; signs, "²", "١" and "1e3" are not."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not _ASCII_DIGITS.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_ids(values) -> tuple[list[int], list[str]]:
    """Ids from several values (a list, or one comma-separated string): (the valid ids in order
    without repeats, the values that are not ids)."""
    if isinstance(values, str):
        values = values.split(",")
    ids, bad = [], []
    for value in values:
        if not str(value).strip():
            continue
        number = parse_int(value)
        if number is None:
            bad.append(str(value))
        elif number not in ids:
            ids.append(number)
    return ids, bad


def has_unstorable(value) -> bool:
    """True if any text in `value` (a string, or lists and dicts of them, keys included) holds a NUL
    or a lone surrogate."""
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_unstorable(v) for v in value)
    return False


def strip_controls(text: str) -> str:
    """`text` without control characters (tab, line feed and carriage return stay)."""
    return _CONTROL.sub("", text) if text else text


def has_controls(text: str) -> bool:
    return bool(text) and bool(_CONTROL.search(text))


def safe_next(request, name: str = "next") -> str | None:
    """The POSTed (else GET) `next` address if it is a path on this site, else None. "/\\evil.example"
    and "//evil.example" are other sites to a browser; "https:evil.example" and "javascript:" are
    not paths."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get(name) or request.GET.get(name) or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
