from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.common.views import submitted

from . import services
from .forms import EndForm, EpisodeForm
from .models import Episode


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    form = EpisodeForm(request.POST or None)
    if submitted(request, form, lambda data: services.start(case, by=request.user, **data)):
        messages.success(request, _("The measure is recorded."))
        return redirect("case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("New measure"),
            "intro": _(
                "Remember the hearing of the child before a measure starts, noted in the "
                "journal under the heading 'Hearing of the child'."
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, pk: int) -> HttpResponse:
    case_id = Episode.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = policy.get_case(request.user, case_id, Action.EDIT)
    episode = case.episodes.select_related("intervention").get(pk=pk)
    form = EndForm(request.POST or None)
    if submitted(request, form, lambda data: services.end(episode, **data)):
        messages.success(request, _("The measure is ended."))
        return redirect("case", pk=case.pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("End measure: %(name)s") % {"name": episode.intervention},
        },
    )
