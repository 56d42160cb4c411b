"""Verification codes printed on pilot certificates (no Django import).

A code is 16 characters of Crockford base32 (80 random bits), printed in groups of four:
`K7QM-3XWD-9TRA-HZ2P`. The alphabet has no I, L, O or U, and reading is forgiving: case, spaces
and hyphens are ignored, and O/I/L typed by mistake are read as 0/1/1, so a code copied from
paper still verifies. Certificate *numbers* (SDH-PILOT-2026-00012) are sequential and public;
the code is what proves that a printed certificate is genuine."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of a code as typed, or None when it cannot be a code."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
