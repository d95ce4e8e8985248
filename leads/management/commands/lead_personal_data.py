import json

from django.core.management.base import BaseCommand, CommandError

from leads.privacy import erase, find_person, personal_data


class Command(BaseCommand):
    help = (
        "Print everything held about one person (JSON), found by e-mail, phone (+86...) or reference; "
        "with --erase, anonymise their leads."
    )

    def add_arguments(self, parser):
        parser.add_argument("who", help="e-mail address, phone number in international form, or lead reference")
        parser.add_argument("--erase", action="store_true", help="anonymise every lead found")

    def handle(self, who, **options):
        leads = list(find_person(who).prefetch_related("follow_ups"))
        if not leads:
            raise CommandError(f"No lead has the e-mail, phone or reference {who!r}.")
        self.stdout.write(json.dumps([personal_data(lead) for lead in leads], ensure_ascii=False, indent=2))
        if options["erase"]:
            count = sum(erase(lead, reason="erased on request") for lead in leads)
            self.stderr.write(f"{count} lead(s) anonymised.")
