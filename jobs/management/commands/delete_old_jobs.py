"""Delete finished background jobs older than JOB_RESULT_DAYS (or --days) and their result files."""

from django.core.management.base import BaseCommand

from jobs.services import delete_old_jobs


class Command(BaseCommand):
    help = "Delete finished jobs (and their export files) older than JOB_RESULT_DAYS days; the worker does it hourly."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days instead of JOB_RESULT_DAYS.")

    def handle(self, *args, days, **options):
        count = delete_old_jobs(days)
        self.stdout.write(f"Deleted {count} old job(s).")
