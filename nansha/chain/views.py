from django.conf import settings
from django.shortcuts import render

from nansha.map.views import STAGE_COLOURS

from .selectors import STAGES, chain_gaps, chain_graph


def chain_page(request):
    """/chain/: the chain from upstream to downstream, each link with its enterprises, and the gaps to fill."""
    graph = chain_graph()
    return render(
        request,
        "chain/chain.html",
        {
            "stages": [(stage, graph[stage], STAGE_COLOURS[stage]) for stage in STAGES],
            "gaps": chain_gaps(),
            "threshold": settings.CHAIN_GAP_THRESHOLD,
        },
    )
