import pytest
from django.apps import apps

from seoulhub.core.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=False)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"taxonomy", "accounts", "support", "pilots", "observatory", "radar", "auth"}
    }


@pytest.mark.slow
def test_loading_the_demo_twice_changes_nothing():
    load_demo(log=lambda line: None)
    after_first = _row_counts()
    load_demo(log=lambda line: None)
    assert _row_counts() == after_first
    assert after_first["taxonomy.Technology"] >= 30
    assert after_first["taxonomy.District"] == 25
