"""The public policy library (/policies/) and a page per policy with its clauses and calculator (政策计算器)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from . import eligibility
from .filters import PolicyFilterSet
from .forms import CompanyFactsForm
from .models import Policy

PAGE_SIZE = 50


def policy_list(request):
    """Published policies, in force today unless `period` asks for expired, future or all ones."""
    params = request.GET.copy()
    params.setdefault("period", "current")
    policies = Policy.objects.published().prefetch_related("support_kinds", "target_segments")
    filterset = PolicyFilterSet(params, queryset=policies, request=request)
    found = filterset.qs if filterset.is_valid() else Policy.objects.none()
    page = Paginator(found.order_by("-issued_on", "-published_on", "title_zh", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "policies/list.html", {"filter": filterset, "page": page, "today": timezone.localdate()})


def policy_detail(request, pk):
    """One published policy: summary, dates, official link, sources, clauses; ?…facts… runs the calculator."""
    try:
        policy = (
            Policy.objects.published()
            .prefetch_related("support_kinds", "target_segments", "required_honours", *eligibility.CLAUSE_PREFETCH)
            .get(pk=pk)
        )
    except Policy.DoesNotExist as error:
        raise Http404("No such published policy.") from error
    today = timezone.localdate()
    asked = bool(request.GET)
    form = CompanyFactsForm(request.GET or None, auto_id="calc_%s")
    results = totals = None
    if asked and form.is_valid():
        results = eligibility.calculate_policy(policy, form.profile(), today=today)
        totals = eligibility.totals(results)
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "clauses": list(policy.clauses.all()),
            "in_force": policy.in_force_on(today),
            "today": today,
            "form": form,
            "asked": asked,
            "results": results,
            "totals": totals,
        },
    )
