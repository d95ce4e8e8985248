"""/match/: a company states its project and gets ranked, explained answers; also as /api/v1/match/."""

from django import forms
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from nansha.records.presentation import detail_url

from .engine import match
from .forms import ProjectForm


def match_page(request):
    asked = bool(request.GET)
    form = ProjectForm(request.GET or None)
    result = match(form.needs()) if asked and form.is_valid() else None
    return render(request, "matching/match.html", {"form": form, "result": result, "asked": asked})


def _judgements(judgements):
    return [{"criterion": j.criterion, "outcome": j.outcome, "reason": str(j.reason)} for j in judgements]


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
                        "judgements": _judgements(m.judgements),
                    }
                    for m in result.policies
                ],
                "policies_not_in_force": result.expired_policies,
                "most_eligible_wan": result.most_eligible_wan,
                "most_possible_wan": result.most_possible_wan,
                "hospitals": [_place(n, request) for n in result.hospitals],
                "institutions": [_place(n, request) for n in result.institutions],
                "funds": [{"id": f.pk, "name_zh": f.name_zh, "name_en": f.name_en} for f in result.funds],
            }
        )
