"""The team leader confirms a child first known from a school's concern (docs/case-flow.md)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.common.views import submitted
from trappen.organisation.models import District

from . import services


class ConfirmChildForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"), queryset=District.objects.all()
    )


def form_for(notification: object) -> ConfirmChildForm:
    child = notification.child  # type: ignore[attr-defined]
    return ConfirmChildForm(
        initial={
            "first_name": child.first_name,
            "last_name": child.last_name,
            "district": child.district_id,
        }
    )


@login_required
@require_http_methods(["POST"])
def confirm_child(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may assign the notification (the team leader of the child's district) confirms."""
    notification = policy.get_notification(request.user, pk, Action.ASSIGN)
    form = ConfirmChildForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: services.confirm_child(notification, by=request.user, **data),  # type: ignore[arg-type]
    ):
        messages.success(request, _("The child's name and district are confirmed."))
        if policy.may(request.user, Action.ASSIGN, notification):
            return redirect("intake:notification", pk=pk)
        # Moved to another team's district: its leader takes over.
        return redirect("dashboards:team")
    return render(
        request,
        "intake/detail.html",
        {"notification": notification, "confirm_form": form},
        status=400,
    )
