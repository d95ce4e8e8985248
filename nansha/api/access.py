"""Who is calling the API, what they may do, and how often.

- anonymous: reads published records, throttled at API_THROTTLE_RATES["anonymous"];
- partner: sends an API key issued by staff in the admin (stored hashed by djangorestframework-api-key);
  higher limit, and the direct contact fields anonymous callers do not get;
- staff: logged-in staff users; see the drafts of the models their role may view, and may write what
  their role allows (editors: add, change, delete; viewers: nothing), checked with the same model
  permissions as the admin.
What each may see (contacts, drafts per model) is decided in one place for every surface:
nansha.records.presentation.audience.
A key that is unknown, revoked or expired is refused with 403, never silently treated as anonymous.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, throttling

from nansha.records.presentation import audience, partner_key_is_valid, presented_key

ANONYMOUS, PARTNER, STAFF = "anonymous", "partner", "staff"


def client_address(request):
    """The caller's address as the throttles see it (also for admin login lockouts, django-axes).

    With REST_FRAMEWORK["NUM_PROXIES"] (API_NUM_PROXIES) at 0, REMOTE_ADDR only, so a forged
    X-Forwarded-For cannot dodge a limit; behind N proxies, the address the outermost of them saw.
    """
    return throttling.BaseThrottle().get_ident(request)


def caller(request):
    """The kind of caller (for throttles and writes), worked out once per request.

    Raises PermissionDenied (403) for a key that is unknown, revoked or expired.
    """
    request = getattr(request, "_request", request)
    if not hasattr(request, "_nansha_caller"):
        key = presented_key(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request._nansha_caller = STAFF
        elif key:
            if not partner_key_is_valid(request):
                raise exceptions.PermissionDenied(_("The API key is unknown, revoked or expired."))
            request._nansha_caller = PARTNER
            request._nansha_key_prefix = key.partition(".")[0]
        else:
            request._nansha_caller = ANONYMOUS
    return request._nansha_caller


def api_audience(request):
    """What the API caller may see (nansha.records.presentation.audience: the one rule), after refusing a bad key."""
    caller(request)
    return audience(request)


def sees_drafts(request, model):
    """Drafts of `model`: staff whose role may view it (as in the admin); never anonymous callers or partners."""
    return api_audience(request).sees_drafts(model)


def sees_contacts(request):
    """Direct contact fields: partners with a valid key and staff."""
    return api_audience(request).contacts


class ReadOnlyUnlessStaff(permissions.BasePermission):
    message = gettext_lazy("Only staff whose role allows it may change records through the API.")

    def has_permission(self, request, view):
        kind = caller(request)  # refuses a bad key whatever the method
        if request.method in permissions.SAFE_METHODS:
            return True
        if kind != STAFF:
            return False
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return True  # not a model resource (e.g. the match endpoint takes a POST to read)
        return permissions.DjangoModelPermissions().has_permission(request, view)


class _Throttle(throttling.SimpleRateThrottle):
    """Counts requests in the cache every app process shares (Redis, else the database: nansha.ops.cache)."""

    applies_to = ""

    @property
    def cache(self):
        # Not DRF's default cache, which is per process without Redis: "120/min" would be 120 per worker.
        return caches["shared"]

    def get_rate(self):
        # Read at each request (not at import), so that settings can change the rates; a scope left out is not
        # limited.
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


def follows_next_link(request, view):
    """Whether the request asks for a further page of a feature collection, as a `next` link does
    (OGC items with an `offset` above 0, on a view marked `pages_features`).

    Such requests count against the "paging" rate instead of the caller's per-minute request rate, so a
    GIS client that pages a whole collection (GDAL before 3.8 asks for 10 features at a time) can download
    it again and again; the first page of each download counts as one ordinary request.
    """
    if not getattr(view, "pages_features", False):
        return False
    try:
        return int(request.query_params.get("offset", "0")) > 0
    except ValueError:
        return False


class AnonymousThrottle(_Throttle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if caller(request) != ANONYMOUS or follows_next_link(request, view):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerThrottle(_Throttle):
    scope = "partner"

    def get_cache_key(self, request, view):
        if caller(request) != PARTNER or follows_next_link(request, view):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request._request._nansha_key_prefix}


class PagingThrottle(_Throttle):
    """Further pages of feature collections (follows_next_link), per caller: partners by key, others by
    address; staff are not throttled. Counted in the shared cache like the other throttles."""

    scope = "paging"

    def get_cache_key(self, request, view):
        kind = caller(request)
        if kind == STAFF or not follows_next_link(request, view):
            return None
        ident = request._request._nansha_key_prefix if kind == PARTNER else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": f"{kind}:{ident}"}
