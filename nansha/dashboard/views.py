from django.shortcuts import render

from .selectors import figures, headline_figures, stated_figures


def dashboard_page(request):
    """/dashboard/: headline figures, then charts of what the database holds, each with its numbers and the list
    behind it."""
    shown = figures()
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "headlines": headline_figures(),
            "stated": stated_figures(),
            "figures": shown,
            "data": [f.as_json() for f in shown],
        },
    )
