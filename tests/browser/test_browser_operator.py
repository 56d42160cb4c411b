"""An operator in a real browser adds a feed served by a local HTTP server, fetches it now, and the
worker stores its items; a refused address is explained on the page and nothing is saved."""

import pytest
from django.core.management import call_command

from radar.conftest import FIXTURES, FeedServer  # tests/radar, on the path as a package
from seoulhub.radar.models import Article, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def feed_url(settings):
    from seoulhub.radar.tasks import reset_fetcher

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SEOULHUB_FETCH_ALLOW = ["127.0.0.1"]
    settings.SEOULHUB_FETCH_HOST_DELAY = 0.0
    reset_fetcher()
    server = FeedServer()
    server.routes["/feed.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        (FIXTURES / "netnewswire/cloudblog.rss").read_bytes(),
    )
    yield server.url("/feed.xml")
    server.close()
    reset_fetcher()


def test_operator_adds_a_feed_and_fetches_it_now(page, operator, feed_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/?next=/radar/")
    page.fill("input[name=username]", "op")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/radar/")
    page.click("#nav-operator")
    page.wait_for_url("**/operator/")
    page.click("a[href='/operator/sources/add/']")

    page.fill("input[name=url]", "http://169.254.169.254/latest/meta-data/")
    page.click("#feed-form button[type=submit]")
    page.wait_for_load_state()
    assert "메타데이터" in page.locator("#feed-form").inner_text()
    assert not Source.objects.exists()

    page.fill("input[name=url]", feed_url)
    page.fill("input[name=name]", "Cloud blog (local)")
    page.click("#feed-form button[type=submit]")
    page.wait_for_url("**/operator/")
    source = Source.objects.get()
    row = page.locator(f"#source-{source.pk}")
    assert "미수집" in row.inner_text()

    row.get_by_role("button", name="지금 가져오기").click()
    page.wait_for_url("**/operator/")
    assert "대기 중" in page.locator(f"#source-{source.pk}").inner_text()
    assert Article.objects.count() == 0  # queued: the request did not fetch

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    page.reload()
    text = page.locator(f"#source-{source.pk}").inner_text()
    assert "완료: 새 항목 20개" in text and "정상" in text
    assert Article.objects.filter(source=source).count() == 20
    # The page fits a phone: nothing but the table's own scroller is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_korean_words_are_not_broken_in_narrow_table_columns(page, operator):
    """Korean breaks between words (keep-all): the sources table's state column reads 정상 on one
    line at 1366 px, where it used to stack as 정/상."""
    Source.objects.create(
        name="arXiv cs.CV/cs.CL listings with abstracts, October 2025 (every fourth)",
        url="data/feeds/example.jsonl.gz",
        kind="file",
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/accounts/login/?next=/operator/")
    page.fill("input[name=username]", "op")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/operator/")
    header = page.locator("#operator-sources thead th").nth(1)
    assert header.inner_text() == "상태"
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    assert header.evaluate(lines) == 1  # one line box: the word is whole
    assert page.locator("#operator-sources tbody td[data-label] > span").first.evaluate(lines) == 1
    assert page.evaluate("getComputedStyle(document.documentElement).wordBreak") == "keep-all"
