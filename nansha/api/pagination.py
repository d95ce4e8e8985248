from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N&page_size=M, at most 200 a page; a page past the end is a 404 naming the page.

    A page_size that is not a whole number of at least 1 is a 400 naming it (DRF would silently use the default);
    above 200 it is capped at 200.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("page={page_number}: {message}")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number of at least 1 (at most 200) is expected.")]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size or 50,
                }
        return parameters
