"""Django Tasks of the landscape. Each is safe to re-run (see refresh.py and briefing.py)."""

from django_tasks import task


@task()
def refresh_landscape_task(full: bool = False) -> dict:
    from .refresh import refresh_landscape

    return refresh_landscape(full=full)


@task()
def send_briefings_task(week: str | None = None) -> dict:
    from .briefing import send_briefings, write_briefings

    written = write_briefings(week)
    return {"written": written, **send_briefings(week)}
