"""The FilterSets as the API and OGC read a query string: an empty value of a multiple-choice filter is no filter.

`?ownership=` means "any ownership" on the map (nansha.map.state drops empty values); a form posted with
nothing chosen, or a client that writes every parameter it knows, sends it too. Django's multiple-choice
fields would refuse "" as a choice, so the API and OGC drop it first, as the map does.
"""

from django.utils.translation import gettext as _
from django_filters import BooleanFilter, MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

# What Django's NullBooleanField reads as yes, no or unknown; it reads anything else as unknown too, silently.
BOOLEAN_VALUES = {"true", "false", "1", "0", "", "unknown"}


def filter_data(query_params, filterset_class):
    """A copy of `query_params` (a QueryDict) without the empty values of `filterset_class`'s multiple-choice
    filters; a parameter left with no value is removed. A yes/no filter given anything but true/false (1/0, or
    empty for either) raises ValidationError naming it, rather than being ignored."""
    data = query_params.copy()
    for name, declared in filterset_class.base_filters.items():
        if isinstance(declared, BooleanFilter) and data.get(name, "").strip().lower() not in BOOLEAN_VALUES:
            raise exceptions.ValidationError({name: [_("true or false.")]})
        if isinstance(declared, MultipleChoiceFilter) and name in data:
            values = [value for value in data.getlist(name) if value.strip()]
            if values:
                data.setlist(name, values)
            else:
                del data[name]
    return data


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend reading the query through filter_data."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            kwargs["data"] = filter_data(kwargs["data"], filterset_class)
        return kwargs
