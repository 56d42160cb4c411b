"""The database filter for "open today" agrees with window_status on every real programme."""

import datetime

import pytest
from django.utils import timezone

from seoulhub.support.models import STALE_AFTER_DAYS, Programme
from seoulhub.support.services import is_open

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["2021-06-15", "2021-12-31", "2022-01-10", "2026-11-25"])
def test_open_filter_matches_is_open_on_real_programmes(programmes, day):
    today = datetime.date.fromisoformat(day)
    # Rolling calls around the staleness cut-off, and ones without any date at all.
    rolling = Programme.objects.filter(opens_on=None, closes_on=None)[:3]
    for n, programme in enumerate(rolling):
        programme.rolling = True
        programme.source_created_at = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=STALE_AFTER_DAYS - 1 + n), datetime.time(23, 30)),
            datetime.timezone.utc,
        )
        programme.save()
    expected = {p.pk for p in Programme.objects.all() if is_open(p, today)}
    assert set(Programme.objects.open(today).values_list("pk", flat=True)) == expected
    assert Programme.objects.count() >= 100 and expected


def test_open_uses_the_hub_clock(programmes):
    """Programme.objects.open() without a day reads seoulhub.core.clock (the demo's pinned day)."""
    from seoulhub.core import clock

    day = datetime.date(2021, 6, 15)
    clock.set_reference_date(day)
    try:
        assert set(Programme.objects.open()) == set(Programme.objects.open(day))
        assert set(Programme.objects.not_open()) == set(
            Programme.objects.exclude(pk__in=[p.pk for p in Programme.objects.all() if is_open(p, day)])
        )
    finally:
        clock.set_reference_date(None)
