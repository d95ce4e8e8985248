from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from nansha.datasets.synthetic import generate_synthetic
from nansha.ops.cache import bump_data_version


class Command(BaseCommand):
    help = (
        "Replace the synthetic data set (names marked 示例 / Sample, source 'synthetic') with N enterprises spread "
        "over synthetic parks, spaces and policies. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, required=True, help="number of enterprises (1 to 1,000,000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, enterprises, seed, **options):
        if not 1 <= enterprises <= 1_000_000:
            raise CommandError("--enterprises must be between 1 and 1,000,000.")
        with tqdm(total=enterprises, unit="enterprise", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            counts = generate_synthetic(enterprises=enterprises, seed=seed, progress=bar.update)
        # bulk_create sends no signal: every app process is told here that the public data changed.
        bump_data_version()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics after a bulk load, or the planner guesses badly
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetic data (seed {seed}): {summary}."))
