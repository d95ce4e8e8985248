"""`manage.py traditional_catalog`: the traditional Chinese (zh_Hant) catalogue, converted from the simplified one.

The project's translations are written once, in simplified Chinese (locale/zh_Hans). This writes
locale/zh_Hant/LC_MESSAGES/django.po and .mo with every translation converted by OpenCC (s2hk,
see nansha/records/chinese.py), plus the simplified translations of installed apps that ship
none in traditional Chinese (django-import-export, django-simple-history...), so that their
labels are in traditional characters too. The project's own entry wins where both translate a
message. `make messages` runs it after makemessages; a test checks the committed files are current.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from nansha.records.chinese import to_traditional

SOURCE, TARGET = "zh_Hans", "zh_Hant"


def app_catalogues():
    """The zh_Hans django.po of each installed app that has none in zh_Hant, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        locale = Path(config.path) / "locale"
        source = locale / SOURCE / "LC_MESSAGES" / "django.po"
        if source.exists() and not (locale / TARGET / "LC_MESSAGES" / "django.mo").exists():
            yield source


def converted(entry):
    """A copy of a catalogue entry with its translation(s) in traditional characters, or None if untranslated."""
    if entry.obsolete or "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
        return None
    copy = polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural,
        msgstr=to_traditional(entry.msgstr),
        msgstr_plural={n: to_traditional(text) for n, text in entry.msgstr_plural.items()},
        flags=[flag for flag in entry.flags if flag != "fuzzy"],
        occurrences=entry.occurrences,
    )
    return copy


def traditional_catalogue():
    """The zh_Hant catalogue (a polib.POFile) made from the project's and the apps' zh_Hans catalogues."""
    project = Path(settings.BASE_DIR) / "locale" / SOURCE / "LC_MESSAGES" / "django.po"
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "nansha-map",
        "Language": TARGET,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen = set()
    for source in [project, *app_catalogues()]:
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid)
            copy = converted(entry)
            if copy is None or key in seen:
                continue
            seen.add(key)
            catalogue.append(copy)
    return catalogue


class Command(BaseCommand):
    help = "Write locale/zh_Hant (django.po and .mo) from the simplified Chinese catalogues, converted by OpenCC."

    def handle(self, *args, **options):
        target = Path(settings.BASE_DIR) / "locale" / TARGET / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        catalogue = traditional_catalogue()
        catalogue.save(str(target / "django.po"))
        catalogue.save_as_mofile(str(target / "django.mo"))
        if options["verbosity"]:
            self.stdout.write(f"{len(catalogue)} messages written to {target}")
