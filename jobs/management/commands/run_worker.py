"""The background worker: django-tasks' database worker (`db_worker`), after recovering abandoned jobs.

Takes db_worker's options (--interval, --batch, --max-tasks, --queue-name, --reload...). Before it
takes any task it marks failed the jobs a dead worker left running (jobs.services.recover_abandoned_jobs)
and deletes jobs older than JOB_RESULT_DAYS with their files.
"""

from django_tasks_db.management.commands import db_worker

from jobs.services import delete_old_jobs_now_and_then, recover_abandoned_jobs


class Command(db_worker.Command):
    help = "Run the background worker (imports, exports): db_worker after recovering jobs a dead worker left."

    def handle(self, *args, **options):
        failed = recover_abandoned_jobs()
        if failed and options["verbosity"]:
            self.stdout.write(f"{failed} job(s) left running by a stopped worker marked failed.")
        delete_old_jobs_now_and_then()
        return super().handle(*args, **options)
