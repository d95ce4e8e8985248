"""The admin's sign-in and password change, hardened: the ways into an account that Django's admin leaves open.

- Password change: a wrong old password counts as a failed sign-in for django-axes (same username and address,
  same AXES_FAILURE_LIMIT and cool-off as the sign-in form). At the limit the session is ended and axes's lockout
  page (429) says why; while locked, the form checks no password at all. Without this, whoever holds a logged-in
  session (a borrowed computer, a stolen cookie) could guess the old password without limit.
- Sign-in: a `next` address that is not this site's, or that leads to no page of it, leads to the admin's index,
  not to Django's LOGIN_REDIRECT_URL (/accounts/profile/, a 404 here) nor to a 404 of our own.
"""

import posixpath
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters


def _credentials(user):
    return {"username": user.get_username()}  # axes's AXES_USERNAME_FORM_FIELD, as on the sign-in form


class LimitedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password change form; a wrong old password is a failed sign-in for django-axes.

    Takes the request (the caller's address and the lockout go with it). Raises ValidationError with the attempts
    left before the lock.
    """

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        try:
            return super().clean_old_password()
        except ValidationError:
            credentials = _credentials(self.user)
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            failures = AxesProxyHandler.get_failures(self.request, credentials)
            left = max(get_failure_limit(self.request, credentials) - failures, 0)
            raise ValidationError(
                ngettext(
                    "Your old password was entered incorrectly. %(left)d more wrong password from this address "
                    "ends your session and locks signing in to this account here for a while.",
                    "Your old password was entered incorrectly. %(left)d more wrong passwords from this address "
                    "end your session and lock signing in to this account here for a while.",
                    left,
                )
                % {"left": left},
                code="password_incorrect",
            ) from None


class LimitedPasswordChangeView(PasswordChangeView):
    form_class = LimitedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def post(self, request, *args, **kwargs):
        credentials = _credentials(request.user)
        if AxesProxyHandler.is_locked(request, credentials):
            # Locked (here or at the sign-in form): no password is checked; axes's middleware answers.
            request.axes_locked_out, request.axes_credentials = True, credentials
        else:
            response = super().post(request, *args, **kwargs)
            if not getattr(request, "axes_locked_out", False):
                return response
        logout(request)  # the lock is for the account at this address: this session ends with it
        return HttpResponse(status=429)  # axes's middleware answers with its lockout page instead


@sensitive_post_parameters()
@never_cache
def password_change(request):
    """The admin's password change page (admin.site.password_change, with the attempt limit)."""
    request.current_app = admin.site.name
    return LimitedPasswordChangeView.as_view(
        success_url=reverse("admin:password_change_done"),
        extra_context=admin.site.each_context(request),
    )(request)


# Wrapped as the admin wraps its own views: staff only, CSRF-protected.
password_change = admin.site.admin_view(password_change, cacheable=True)


def leads_to_a_page(url, request):
    """Whether `url` (a `next` parameter) is an address of this site that some view answers."""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return False
    path = urlsplit(url).path
    # As a browser would read it: "/admin/../x/" is "/x/".
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "") if path else "/"
    try:
        match = resolve(path)
    except Resolver404:
        return False
    # The admin answers every other address under /admin/ with its catch-all view, a 404.
    return getattr(match.func, "__name__", "") != "catch_all_view"


def login(request):
    """The admin's sign-in page, with a `next` that leads nowhere replaced by the admin's index."""
    for data in ("GET", "POST"):
        query = getattr(request, data)
        if REDIRECT_FIELD_NAME in query and not leads_to_a_page(query[REDIRECT_FIELD_NAME], request):
            query = query.copy()
            query[REDIRECT_FIELD_NAME] = reverse("admin:index")
            setattr(request, data, query)
    return admin.site.login(request)
