"""The models and the migrations agree: a model change without its migration fails here, before
a deployment's `migrate` would silently leave the database behind the code."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:  # --check exits with 1 when a migration is missing
        pytest.fail(f"missing migrations (exit {exit.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
