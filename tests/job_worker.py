"""The real background worker, run in the test's process and database: django-tasks-db's own Worker loop in batch
mode (it takes every queued task, runs it, and returns), the code `manage.py run_worker` runs."""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker


def work_off(max_tasks=None):
    """Run the queued tasks with the library's worker, as a worker process would, then return.

    Inside a test's transaction the worker must not close the connection between tasks (it calls
    close_old_connections, which closes a connection that is not in autocommit): Django's test client
    skips that call at the end of requests for the same reason.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(max_tasks).run()


def _worker(max_tasks):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def through_worker(client, response):
    """The job's page a POST was sent on to (an upload, a confirmation), once the worker has run the job."""
    assert response.status_code == 302, response.content.decode()[-2000:]
    work_off()
    return client.get(response.url)


def invalid_rows(page):
    """{row number: {column: [messages]}} of an import job's page."""
    return {row["number"]: row["errors"] for row in page.context["outcome"].get("invalid_rows", [])}
