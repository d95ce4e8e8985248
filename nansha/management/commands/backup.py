from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from nansha.ops.backup import BackupError, backup, count_lines


class Command(BaseCommand):
    help = (
        "Write everything the site stores (records, their history, users, groups, API keys...) to PATH, a "
        "gzip-compressed JSON Lines file that `manage.py restore` reads back, on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write, e.g. nansha-2025-06-01.jsonl.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to back up")

    def handle(self, *args, path, database, **options):
        try:
            counts = backup(path, using=database)
        except BackupError as error:
            raise CommandError(error) from error
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Wrote {sum(counts.values())} records to {path}:"))
            self.stdout.write("\n".join(count_lines(counts, all_models=options["verbosity"] > 1)))
