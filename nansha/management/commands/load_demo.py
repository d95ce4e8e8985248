from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansha.datasets.data_file import DATA, DataFileError
from nansha.datasets.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the real data: the parks, hospitals, universities and institutes, platform, enterprise, policies and "
        "projects named in the source article, and the public reports (public_reports.json: parks, enterprises, "
        "hospitals, platforms, funds, policies, headline figures, each with its pages). Idempotent: records already "
        "present are completed only in their empty fields, and records staff changed are left as they are. A "
        "damaged file is refused, naming the record and field, and nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=DATA, help="the public reports file (default: the bundled one)"
        )

    def handle(self, *args, data, **options):
        try:
            created = load_demo(data)
        except DataFileError as error:
            raise CommandError(f"{data}: nothing loaded: {error}") from error
        if options["verbosity"] > 1:
            for label, count in created.items():
                self.stdout.write(f"  {label}: {count} created")
        total = sum(created.values())
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded ({total} records created)." if total else "Demo data already loaded."
                )
            )
