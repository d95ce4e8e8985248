from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from nansha.ops.backup import BackupError, count_lines, restore


class Command(BaseCommand):
    help = (
        "Replace everything the site stores with the backup at PATH (made by `manage.py backup`, on SQLite or "
        "PostgreSQL), in one transaction: a file that is corrupt, truncated or of other migrations changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to restore into")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, path, database, interactive, **options):
        try:
            counts = restore(path, using=database, confirm=self.confirm(database) if interactive else None)
        except BackupError as error:
            raise CommandError(error) from error
        if counts is None:
            raise CommandError("Restore cancelled: nothing changed.")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Restored {sum(counts.values())} records from {path}:"))
            self.stdout.write("\n".join(count_lines(counts, all_models=options["verbosity"] > 1)))

    def confirm(self, database):
        settings = connections[database].settings_dict

        def ask(header):
            try:
                answer = input(
                    f"This replaces everything in the database {settings['NAME']!s} with the backup made on "
                    f"{header['created']} (from {header['database']}); everyone will have to log in again.\n"
                    "Type 'yes' to continue, or 'no' to cancel: "
                )
            except EOFError:  # nobody to answer (no terminal): as good as no
                return False
            return answer.strip().lower() == "yes"

        return ask
