"""Alert jobs (Django Tasks): sending never happens inside a request. Both are safe to re-run."""

from django_tasks import task


@task()
def send_delivery_task(delivery_id: int) -> str:
    from .delivery import send_delivery

    return send_delivery(delivery_id)


@task()
def send_due_alerts_task() -> dict:
    """Plan this period's digests and queue every delivery that is due (new ones and retries)."""
    from .delivery import due_deliveries, plan_deliveries

    planned = plan_deliveries()
    due = due_deliveries()
    for delivery_id in due:
        send_delivery_task.enqueue(delivery_id)
    return {"planned": planned, "queued": len(due)}
