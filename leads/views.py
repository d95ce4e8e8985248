"""/contact/: the public form "Contact the investment-promotion bureau", and the page with the reference number."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from nansha.map.export_limits import count_and_wait

from .forms import ContactForm, consent_text, started_token
from .services import receive_lead

SESSION_KEY = "leads_reference"
ASKED_ABOUT = ("match", "space", "park", "enterprise")


def _initial(request):
    """What the link carried: ?space=ID, ?park=ID, ?enterprise=ID or ?match=<the /match/ query string>."""
    return {name: request.GET[name][:2000] for name in ASKED_ABOUT if request.GET.get(name)}


def _asked_about(form):
    """The record or query the form is about, for the page to name (read from the form's own checks)."""
    data = getattr(form, "cleaned_data", None)
    if data is None:
        probe = ContactForm(data={name: form.initial.get(name, "") for name in ASKED_ABOUT})
        probe.is_valid()
        data = probe.cleaned_data
    return {name: data.get(name) for name in ASKED_ABOUT}


@never_cache
def contact(request):
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        wait = count_and_wait(request, "leads-contact", settings.LEADS_RATE)
        if wait is not None:
            form.is_valid()
            form.add_error(
                None,
                _("Too many requests from your address. Please try again in %(minutes)s minutes.")
                % {"minutes": max(1, round(wait / 60))},
            )
            status = 429
        elif form.is_valid():
            lead = receive_lead(data=form.cleaned_data, language=get_language())
            request.session[SESSION_KEY] = lead.reference
            return redirect("lead-received")
        else:
            status = 400
        form.data = form.data.copy()
        form.data["started"] = started_token()  # a fresh clock for the corrected form
    else:
        form = ContactForm(initial={**_initial(request), "started": started_token()})
    context = {"form": form, "consent_text": consent_text(), "asked": _asked_about(form)}
    return render(request, "leads/contact.html", context, status=status)


@never_cache
def received(request):
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("lead-contact")
    return render(request, "leads/received.html", {"reference": reference})
