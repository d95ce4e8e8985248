"""Import records from a CSV or Excel file: all rows or none, every bad row explained, with a progress bar."""

from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from nansha.staff.sheet_reading import ChineseCSV, LimitedXLSX, check_upload_size, read_dataset
from nansha.staff.spreadsheets import IMPORTABLE, resource_for, row_problems

FORMATS = {".csv": ChineseCSV, ".xlsx": LimitedXLSX}


class Command(BaseCommand):
    help = (
        "Import records of one kind (enterprises, spaces, parks, policies, institutions, hospitals, platforms, funds, "
        "signed or clinical projects, enterprise facts, headline figures) from a .csv or .xlsx file with the "
        "columns of the admin's export. Every row is checked as the admin form would; if any row is bad, "
        "each problem is listed by row and column and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTABLE))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report only; change nothing.")
        parser.add_argument("--user", help="Username the changes are recorded under in the history.")

    def handle(self, *args, kind, path, dry_run, user, **options):
        if path.suffix.lower() not in FORMATS:
            raise CommandError(f"{path}: give a .csv or .xlsx file.")
        try:
            check_upload_size(path.stat().st_size)
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.") from error
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            dataset = read_dataset(content, FORMATS[path.suffix.lower()]())
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        staff = None
        if user:
            staff = get_user_model().objects.filter(username=user).first()
            if staff is None:
                raise CommandError(f"--user {user}: no such user.")

        bar = tqdm(total=len(dataset), unit="row", disable=options["verbosity"] == 0, file=self.stderr)
        resource = resource_for(apps.get_model(IMPORTABLE[kind]))(progress=lambda done, total: bar.update(1))
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, user=staff
        )
        bar.close()

        problems = row_problems(result)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s) in {path}; nothing was imported.")
        totals = result.totals
        summary = ", ".join(f"{totals[k]} {k}" for k in ("new", "update", "skip"))
        self.stdout.write(("Dry run, nothing changed: " if dry_run else "Imported: ") + summary + ".")
