from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_are_korean_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in html
    assert "서울 디지털 허브" in html


def test_the_language_switch_turns_every_page_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/radar/"})
    assert response.status_code == 302 and response["Location"] == "/radar/"
    for path in ["/", "/tech/", "/radar/", "/support/", "/pilots/", "/observatory/"]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<html lang="en">' in page.content.decode(), path
    assert "Seoul Digital Hub" in client.get("/").content.decode()


def test_every_page_offers_the_language_switch(client):
    for path in ["/", "/tech/", "/about/", "/accounts/login/"]:
        html = client.get(path).content.decode()
        assert 'action="/i18n/setlang/"' in html, path


def _catalogues():
    roots = [settings.BASE_DIR / "locale", *sorted(settings.BASE_DIR.glob("*/locale"))]
    return [po for root in roots for po in Path(root).glob("*/LC_MESSAGES/django.po")]


def test_compiled_translations_match_their_sources():
    catalogues = _catalogues()
    assert catalogues, "no translation catalogues found"
    for po_path in catalogues:
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
        po = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)).translated_entries() if not e.obsolete}
        mo = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path)) if e.msgid}
        assert po == mo, f"{mo_path} is out of date: run `make messages`"


def test_korean_catalogue_translates_every_message():
    for po_path in _catalogues():
        if "/ko/" not in str(po_path):
            continue
        catalogue = polib.pofile(str(po_path))
        untranslated = [e.msgid for e in catalogue.untranslated_entries()] + [e.msgid for e in catalogue.fuzzy_entries()]
        assert not untranslated, f"{po_path}: untranslated {untranslated[:10]}"
