"""/match/: a company states its project and gets ranked, explained answers; also as /api/v1/match/."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from nansha.records.presentation import detail_url
from policies.forms import COMPANY_FACTS

from .engine import match
from .forms import ProjectForm

SPACE_FIELDS = ["use", "area_min", "area_max", "cleanroom", "floor_load_min", "ceiling_min", "rent_max", "move_in"]


def share_url(request):
    """The page's absolute URL with only the answers given: empty parameters (fields left blank) are dropped."""
    given = [(name, value) for name, values in request.GET.lists() for value in values if value.strip()]
    return request.build_absolute_uri(request.path + (f"?{urlencode(given)}" if given else ""))


def match_page(request):
    asked = bool(request.GET)
    form = ProjectForm(request.GET or None)
    result = match(form.needs()) if asked and form.is_valid() else None
    context = {
        "form": form,
        "result": result,
        "asked": asked,
        "space_fields": [form[name] for name in SPACE_FIELDS],
        "company_fields": [form[name] for name in [*COMPANY_FACTS, "financing_stage"]],
        "share_url": share_url(request),
        "stated": form.stated() if result else [],
    }
    return render(request, "matching/match.html", context)


def _judgements(judgements):
    return [{"criterion": j.criterion, "outcome": j.outcome, "reason": str(j.reason)} for j in judgements]


def clause_results(results):
    """ClauseResults as JSON: status, the failing conditions, the missing facts named, the award and its arithmetic.

    Amounts are 万元 as decimal strings; null where the amount cannot be worked out.
    """
    return [
        {
            "clause_id": r.clause.pk,
            "number": r.clause.number,
            "title_zh": r.clause.title_zh,
            "status": r.status,
            "missing_facts": r.missing,
            "failing": [str(j.reason) for j in r.failing],
            "judgements": _judgements([*r.policy_judgements, *r.judgements]),
            "award": {
                "kind": r.clause.award_kind,
                "amount_wan": r.award.amount_wan,
                "at_most_wan": r.award.ceiling_wan,
                "arithmetic": str(r.award.arithmetic),
            },
            "stated_in_full": r.clause.is_complete,
            "other_conditions_not_checked": r.clause.other_conditions,
        }
        for r in results
    ]


def _place(nearby, request):
    record = nearby.record
    return {
        "id": record.pk,
        "name_zh": record.name_zh,
        "name_en": record.name_en,
        "distance_km": nearby.distance_km,
        "page_url": request.build_absolute_uri(detail_url(record)),
    }


class MatchAPI(APIView):
    """The matching engine of /match/: the same parameters, the same answer, as JSON."""

    @extend_schema(
        summary="Match a project's needs to spaces, policies, clinical resources, talent and finance",
        parameters=[
            OpenApiParameter(
                name,
                str,
                many=isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField),
                description=str(field.label),
            )
            for name, field in ProjectForm.base_fields.items()
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        form = ProjectForm(request.query_params)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise exceptions.ValidationError({name: [e["message"] for e in found] for name, found in errors.items()})
        result = match(form.needs())
        return Response(
            {
                "spaces": [
                    {
                        "id": m.space.pk,
                        "park": {"id": m.space.park.pk, "name_zh": m.space.park.name_zh},
                        "use": m.space.use,
                        "usable_area_m2": m.space.usable_area_m2,
                        "rent_yuan_m2_month": m.space.rent_yuan_m2_month,
                        "score": m.score,
                        "judgements": _judgements(m.judgements),
                    }
                    for m in result.spaces
                ],
                "policies": [
                    {
                        "id": m.policy.pk,
                        "title_zh": m.policy.title_zh,
                        "status": m.status,
                        "max_amount_wan": m.policy.max_amount_wan,
                        "page_url": request.build_absolute_uri(detail_url(m.policy)),
                        "judgements": _judgements(m.judgements),
                        "clauses": clause_results(m.clauses),
                    }
                    for m in result.policies
                ],
                "policies_not_in_force": result.expired_policies,
                "most_eligible_wan": result.most_eligible_wan,
                "most_possible_wan": result.most_possible_wan,
                "amounts_not_known": result.unknown_amounts,
                "hospitals": [_place(n, request) for n in result.hospitals],
                "institutions": [_place(n, request) for n in result.institutions],
                "funds": [{"id": f.pk, "name_zh": f.name_zh, "name_en": f.name_en} for f in result.funds],
            }
        )
