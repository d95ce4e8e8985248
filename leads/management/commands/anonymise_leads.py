from django.conf import settings
from django.core.management.base import BaseCommand

from leads.privacy import anonymise_expired


class Command(BaseCommand):
    help = "Anonymise the leads kept LEADS_RETENTION_DAYS since their last stage change (run it daily)."

    def handle(self, *args, **options):
        count = anonymise_expired()
        self.stdout.write(f"{count} lead(s) anonymised (retention: {settings.LEADS_RETENTION_DAYS} days).")
