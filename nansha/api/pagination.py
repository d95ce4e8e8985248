from django.utils.translation import gettext_lazy as _
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N&page_size=M, at most 200 a page; a page past the end is a 404 naming the page."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("page={page_number}: {message}")
