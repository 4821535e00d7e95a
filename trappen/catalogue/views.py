from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from .forms import CatalogueFilter
from .models import Intervention, Step


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Tilbudsviften: every offer, grouped by step 0 → 5, with search and filters.

    A normal GET form; with htmx the list part is swapped in while the user types.
    """
    form = CatalogueFilter(request.GET or None)
    offers = Intervention.objects.select_related("step").order_by("step_id", "name")
    if form.is_bound:
        offers = form.filter(offers)
    by_step = {number: list(group) for number, group in groupby(offers, lambda i: i.step_id)}
    groups = [(step, by_step[step.number]) for step in Step.objects.all() if step.number in by_step]
    ctx = {
        "form": form,
        "groups": groups,
        "count": sum(len(offers) for _, offers in groups),
        "filtered": form.is_bound and any(v not in ("", None) for v in form.data.values()),
    }
    htmx = getattr(request, "htmx", None)
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    template = "catalogue/offers.html" if partial else "catalogue/list.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response
