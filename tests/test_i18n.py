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
        untranslated = [e.msgid for e in catalogue.untranslated_entries()] + [
            e.msgid for e in catalogue.fuzzy_entries()
        ]
        assert not untranslated, f"{po_path}: untranslated {untranslated[:10]}"


# Messages raised in code reach Korean pages too (a 403's reason, a form error, a flash message).
# They must go through gettext like template strings. The REST API (api.py, api_*.py) answers
# developers in English, and management commands print English for operators; both are left out.
RAISED = {
    "ValidationError",
    "PermissionDenied",
    "Http404",
    "SuspiciousOperation",
    # Errors stored on a record or listed in an import report, read later on Korean pages
    # (a feed source's last error, rejected rows of a firm or statistics import).
    "FetchError",
    "FetchRefused",
    "_retryable",
    "ParseError",
    "SourceFailed",
    "ItemError",
    "Damaged",
    "TooLarge",
    "OpmlError",
    "ImportFileError",
    "LayoutError",
}
MESSAGE_ARGUMENT = {"RowProblem": 2}  # RowProblem(line, column, message)
FLASHED = {"debug", "info", "success", "warning", "error"}
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy", "npgettext"}


def _is_english_literal(node) -> bool:
    """A string literal with words in it (not a separator such as ", "), as given to the call."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_is_english_literal(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." % x, "..." + x: the left side is the text
        return _is_english_literal(node.left) or (isinstance(node.op, ast.Add) and _is_english_literal(node.right))
    if isinstance(node, ast.Dict):  # ValidationError({"field": "..."})
        return any(_is_english_literal(value) for value in node.values)
    return False


def _user_message_argument(call):
    import ast

    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in RAISED:
        return call.args[0] if call.args else None
    if name in MESSAGE_ARGUMENT:
        index = MESSAGE_ARGUMENT[name]
        return call.args[index] if len(call.args) > index else None
    if name == "add_error":  # form.add_error(field, message)
        return call.args[1] if len(call.args) > 1 else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "messages":
        if name in FLASHED:
            return call.args[1] if len(call.args) > 1 else None
        if name == "add_message":
            return call.args[2] if len(call.args) > 2 else None
    return None


def test_messages_raised_in_code_are_wrapped_in_gettext():
    import ast

    untranslated = []
    for path in sorted(settings.BASE_DIR.rglob("*.py")):
        relative = path.relative_to(settings.BASE_DIR)
        if "migrations" in relative.parts or "management" in relative.parts:
            continue
        if path.name == "api.py" or path.name.startswith("api_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                argument = _user_message_argument(node)
                if argument is not None and _is_english_literal(argument):
                    untranslated.append(f"{relative}:{node.lineno}: {ast.unparse(argument)[:80]}")
    assert untranslated == [], "wrap these messages in gettext (and translate them):\n" + "\n".join(untranslated)


def test_the_scan_finds_an_unwrapped_message():
    import ast

    found = [
        _is_english_literal(_user_message_argument(node))
        for node in ast.walk(
            ast.parse(
                'raise PermissionDenied("Only operators.")\nmessages.error(request, f"{n} rows failed")\n'
                'raise Http404(_("No such page."))\nraise ValidationError({"brn": "bad number"})\n'
                'raise FetchError(f"{url} answered HTTP {status}")\nRowProblem(line, "year", "no year")\n'
                'RowProblem(line, "year", _("no year"))'
            )
        )
        if isinstance(node, ast.Call) and _user_message_argument(node) is not None
    ]
    assert found == [True, True, False, True, True, True, False]


def _gettext_inside_fstrings(source: str) -> list[int]:
    """Lines where gettext is called inside an f-string: makemessages (xgettext) does not read
    f-strings, so such a message silently drops out of the catalogue at the next extraction."""
    import ast

    return sorted(
        {
            node.lineno
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.JoinedStr)
            for inner in ast.walk(node)
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in GETTEXT
        }
    )


def test_no_message_is_translated_inside_an_f_string():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in sorted(settings.BASE_DIR.rglob("*.py"))
        if "migrations" not in path.parts
        for line in _gettext_inside_fstrings(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "call gettext before the f-string (makemessages cannot see it inside):\n" + "\n".join(found)
    assert _gettext_inside_fstrings('x = f"<b>{_escape(gettext(\'none\'))}</b>"\ny = f"{label}"') == [1]


def _visible_main_text(response) -> str:
    """The words a reader sees in the page's main part (the header's language switch names
    English on purpose)."""
    import re
    from html import unescape

    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", main))


def test_korean_pages_name_certifications_measures_and_languages_in_korean(client):
    """Codes and measure names that used to show in English on Korean pages."""
    from seoulhub.observatory.importer import import_stats
    from seoulhub.observatory.sectors import load_definition
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.models import District

    firm = Firm.objects.create(name_ko="벤처인증테스트", certifications=["venture", "innobiz"])
    text = _visible_main_text(client.get(firm.get_absolute_url()))
    assert "벤처기업" in text and "venture" not in text.lower()

    load_definition()
    rows = ["year,sgis_lv,sgis_cd,sgis_nm,sgis_si,sgis_gu,sgis_dong,indst_ctg,indst_cd,indst_nm,num_estbl,num_wrk"]
    for i, district in enumerate(District.objects.order_by("kostat_code"), start=1):
        rows.append(
            f"2019,2,{district.kostat_code},{district.name_ko},서울특별시,{district.name_ko},NULL,전체,NULL,전체,{100 * i},{1000 * i}"
        )
        rows.append(
            f"2019,2,{district.kostat_code},{district.name_ko},서울특별시,{district.name_ko},NULL,소분류,582,소프트웨어 개발 및 공급업,{i},{10 * i}"
        )
    import_stats(("\n".join(rows) + "\n").encode(), "made_up_NOT_REAL.csv")
    text = _visible_main_text(client.get("/observatory/districts/11110/"))
    assert "사업체수" in text and "establishments" not in text

    text = _visible_main_text(client.get("/radar/"))
    assert "영어" in text and "English" not in text


def test_the_footer_names_the_status_link_in_korean(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<a href="/healthz">서비스 상태</a>' in html and ">healthz<" not in html
