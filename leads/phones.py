"""Phone numbers of mainland China, Hong Kong and Macao, checked with Google's libphonenumber (phonenumberslite).

Rules (libphonenumber's metadata, from the regulators' numbering plans): mainland mobiles are 11 digits starting
with 1 (+86 138 0013 8000), mainland landlines an area code and 7–8 digits (020-8888 8888); Hong Kong (+852) and
Macao (+853) numbers have 8 digits. A number without a country code is read as a mainland number.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REGIONS = {"CN", "HK", "MO"}
MAX_INPUT = 32


def normalise_phone(text):
    """The number in E.164 form (str, e.g. "+8613800138000"), or ValidationError saying what is wrong.

    Accepts spaces, hyphens, brackets and a leading 00 or + before the country code.
    """
    text = (text or "").strip()
    if len(text) > MAX_INPUT:
        raise ValidationError(_("A phone number has at most %(n)s characters.") % {"n": MAX_INPUT}, code="too_long")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(text)s” is not a phone number. Give it with digits, e.g. 138 0013 8000 or +852 2123 4567.")
            % {"text": text},
            code="unreadable",
        ) from None
    region = phonenumbers.region_code_for_number(number)
    if region not in REGIONS:
        raise ValidationError(
            _("Give a phone number of mainland China (+86), Hong Kong (+852) or Macao (+853)."), code="region"
        )
    if not phonenumbers.is_valid_number(number):
        examples = {
            "CN": _("a mobile has 11 digits starting with 1; a landline an area code and 7 or 8 digits"),
            "HK": _("a Hong Kong number has 8 digits after +852"),
            "MO": _("a Macao number has 8 digits after +853"),
        }
        raise ValidationError(
            _("“%(text)s” is not a valid number: %(rule)s.") % {"text": text, "rule": examples[region]},
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
