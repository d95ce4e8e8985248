"""The public form "Contact the investment-promotion bureau" (联系招商部门), with its checks against abuse."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from industry.models import Enterprise
from parks.filters import offered_spaces
from parks.models import Park

from .phones import normalise_phone

STARTED_SALT = "leads.contact-form.started"


def consent_text():
    """The consent the form asks for, in the page's language: purpose, retention, who sees it (PIPL arts. 14, 17)."""
    years, days = divmod(settings.LEADS_RETENTION_DAYS, 365)
    period = (
        gettext("%(years)s years") % {"years": years}
        if not days
        else gettext("%(days)s days") % {"days": settings.LEADS_RETENTION_DAYS}
    )
    return gettext(
        "I agree that the Nansha investment-promotion bureau processes the company, name, phone number, e-mail "
        "address and message I give here, and what I asked about, for one purpose: to contact me about investing "
        "in Nansha and to follow up my request. Only the bureau's investment-promotion staff see them; they are "
        "not published, not shared with partners and not used for anything else. They are kept for %(period)s "
        "after the last step taken on my request and then anonymised. I may ask at any time to see them or to "
        "have them erased, quoting my reference number."
    ) % {"period": period}


def started_token():
    """A signed timestamp put in the form when it is shown: the server knows how long filling it took."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


class ContactForm(forms.Form):
    """What the investor gives. Either a phone number or an e-mail address is needed; consent always."""

    company = forms.CharField(label=_("Company name"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("Mainland China, Hong Kong or Macao, e.g. 138 0013 8000, 020-8888 8888, +852 2123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("If you give one, we send you a confirmation with your reference number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you plan and what you need; at most 2,000 characters."),
    )
    consent = forms.BooleanField(
        label=_("I agree to the use of my personal information as described above."),
        error_messages={"required": _("Without your consent we cannot keep your request: tick the box above.")},
    )
    # Hidden: what the investor asked about, and the anti-abuse checks.
    match = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    space = forms.IntegerField(required=False, widget=forms.HiddenInput)
    park = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # A honeypot: hidden from people by CSS, filled in by form-filling programs.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self):
        text = self.cleaned_data["phone"]
        return normalise_phone(text) if text.strip() else ""

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(
                _("The hidden field “Leave this field empty” was filled in, as programs do: nothing was sent."),
                code="honeypot",
            )
        return ""

    def clean_started(self):
        token = self.cleaned_data["started"]
        try:
            started = float(signing.loads(token, salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(
                _("This form was not shown by this site, or it was altered. Reload the page and send it again."),
                code="bad_token",
            ) from None
        elapsed = time.time() - started
        if elapsed < settings.LEADS_MIN_FILL_SECONDS:
            raise ValidationError(
                _("The form was sent %(s).1f seconds after it was shown, faster than a person types. Send it again.")
                % {"s": max(elapsed, 0)},
                code="too_fast",
            )
        if elapsed > settings.LEADS_FORM_MAX_AGE_HOURS * 3600:
            raise ValidationError(
                _("The form was shown more than %(h)s hours ago. Send it again: your answers are kept below.")
                % {"h": settings.LEADS_FORM_MAX_AGE_HOURS},
                code="expired",
            )
        return token

    def clean_match(self):
        """Only a query /match/ accepts is kept: its needs are re-run later."""
        from nansha.matching.forms import ProjectForm

        query = self.cleaned_data["match"].strip().lstrip("?")
        if query and ProjectForm(QueryDict(query)).is_valid():
            return query
        return ""

    def clean_space(self):
        pk = self.cleaned_data["space"]
        return offered_spaces().select_related("park").filter(pk=pk).first() if pk else None

    def clean_park(self):
        pk = self.cleaned_data["park"]
        return Park.objects.published().filter(pk=pk).first() if pk else None

    def clean_enterprise(self):
        pk = self.cleaned_data["enterprise"]
        return Enterprise.objects.published().filter(pk=pk).first() if pk else None

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not {"phone", "email"} & set(self.errors):
            raise ValidationError(_("Give a phone number or an e-mail address, so that we can reach you."))
        return data
