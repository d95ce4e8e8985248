from django.core.management.base import BaseCommand

from nansha.datasets.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data: the parks, hospitals, universities and institutes, platform, enterprise, policies and "
        "projects named in the source article. Idempotent: records already present are left as they are."
    )

    def handle(self, *args, **options):
        created = load_demo()
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
