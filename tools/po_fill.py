"""Fill a gettext catalogue from a JSON object {msgid: msgstr} on stdin, then list what is
still untranslated. Used when adding Korean translations:

    .venv/bin/python tools/po_fill.py seoulhub/locale/ko/LC_MESSAGES/django.po < ko.json
"""

import json
import sys

import polib


def main() -> int:
    path = sys.argv[1]
    mapping = json.load(sys.stdin)
    catalogue = polib.pofile(path)
    filled = 0
    for entry in catalogue:
        if entry.msgid in mapping and (not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save(path)
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    print(f"{path}: filled {filled}, untranslated {len(missing)}")
    for msgid in missing:
        print("  " + json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
