from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trappen.common.requests import AuthenticatedRequest

from . import kept as kept_input
from .forms import LockoutAuthenticationForm
from .kept import KEPT_FIELD, RESUME_KEY, resume_form
from .middleware import LAST_SEEN_KEY, idle_timeout_minutes
from .models import KeptInput


class LoginView(auth_views.LoginView):
    authentication_form = LockoutAuthenticationForm


@login_required
@require_POST
def stay(request: HttpRequest) -> JsonResponse:
    """ "Bliv logget ind": the idle warning's button extends the session (a POST, so a page
    cannot be kept alive by a link or a prefetch)."""
    request.session[LAST_SEEN_KEY] = timezone.now().timestamp()
    return JsonResponse({"seconds": idle_timeout_minutes() * 60})


def _fields(kept: KeptInput) -> list[dict[str, object]]:
    """The kept values in the form's own widgets and labels when the view declared its form
    (@keeps_input), else as text fields named by the field; sent again as they are."""
    form_class = resume_form(kept.path)
    data = QueryDict(mutable=True)
    for name, values in kept.data.items():
        data.setlist(name, values)
    form = form_class(data=data, auto_id=f"kept-{kept.pk}-%s") if form_class else None
    rows: list[dict[str, object]] = []
    for name, values in kept.data.items():
        if form is not None and name in form.fields:
            rows.append({"bound": form[name]})
            continue
        for index, value in enumerate(values):
            rows.append(
                {
                    "id": f"kept-{kept.pk}-{name}-{index}",
                    "name": name,
                    "label": name.replace("_", " "),
                    "value": value,
                    "long": len(value) > 60,
                }
            )
    return rows


@login_required
def resume(request: AuthenticatedRequest) -> HttpResponse:
    """The forms the user sent after the idle timeout, filled in, to send again or discard."""
    request.session.pop(RESUME_KEY, None)
    kept = [
        {"kept": row, "fields": _fields(row)} for row in KeptInput.objects.filter(user=request.user)
    ]
    return render(request, "security/resume.html", {"items": kept, "kept_field": KEPT_FIELD})


@login_required
@require_POST
def discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # The middleware may have deleted it already (the form carries its id).
    kept_input.discard(request.user, pk)
    messages.info(request, _("The kept input is discarded."))
    return redirect("security:resume")
