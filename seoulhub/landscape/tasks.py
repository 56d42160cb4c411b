"""Django Tasks of the landscape. Each is safe to re-run (see refresh.py and briefing.py)."""

from django_tasks import task


@task()
def refresh_landscape_task(full: bool = False) -> dict:
    from .refresh import refresh_landscape

    return refresh_landscape(full=full)


@task()
def write_briefings_task(week: str | None = None) -> dict:
    """Write the week's briefings; subscribers get them in their digest (seoulhub.alerts)."""
    from .briefing import write_briefings

    return {"written": write_briefings(week)}
