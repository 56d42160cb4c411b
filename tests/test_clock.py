"""The hub's one clock: the real clock by default and in production, a pinned day in the demo."""

import datetime as dt

import pytest
from django.utils import timezone

from seoulhub.core import clock

pytestmark = pytest.mark.django_db


def test_without_a_reference_date_the_clock_is_real():
    assert clock.reference_date() is None
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5
    assert clock.today() == timezone.localdate()


def test_a_pinned_day_moves_now_and_today_and_shows_a_banner(client):
    clock.set_reference_date(dt.date(2026, 7, 31))
    assert clock.today() == dt.date(2026, 7, 31)
    assert clock.now().date() == dt.date(2026, 7, 31) and timezone.is_aware(clock.now())
    html = client.get("/").content.decode()
    assert "데모: 2026-07-31 기준 데이터" in html
    clock.set_reference_date(None)
    assert clock.today() == timezone.localdate()
    assert "기준 데이터" not in client.get("/").content.decode()


def test_production_ignores_and_refuses_a_reference_date(settings):
    clock.set_reference_date(dt.date(2026, 7, 31))
    settings.PRODUCTION = True
    clock.forget()
    assert clock.reference_date() is None
    with pytest.raises(RuntimeError):
        clock.set_reference_date(dt.date(2026, 1, 1))


def test_load_demo_pins_the_clock_to_the_newest_real_data_never_after_today(monkeypatch):
    from types import SimpleNamespace

    from seoulhub.core import demo

    modules = [
        ("a", SimpleNamespace(newest_real_date=lambda: dt.date(2026, 5, 1))),
        ("b", SimpleNamespace(newest_real_date=lambda: dt.date(2026, 7, 31))),
        ("c", SimpleNamespace(newest_real_date=lambda: None)),
        ("d", SimpleNamespace()),
    ]
    monkeypatch.setattr(demo, "_demo_modules", lambda: modules)
    assert demo.pin_demo_clock(log=lambda line: None) == dt.date(2026, 7, 31)
    assert clock.today() == dt.date(2026, 7, 31)

    future = timezone.localdate() + dt.timedelta(days=30)
    modules.append(("e", SimpleNamespace(newest_real_date=lambda: future)))
    assert demo.pin_demo_clock(log=lambda line: None) == timezone.localdate()
