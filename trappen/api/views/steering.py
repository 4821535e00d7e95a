"""The steering's key figures (scope read:steering): a small summary of what the steering page
shows, computed by the same function with the same shared cache (`evaluation.views.figures_for`)
and asked through the same policy (`may_view_steering`). Aggregated figures only: like the
page, a call reads no case and writes no READ entry; a refusal is audited."""

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from trappen.access import policy
from trappen.audit.models import AuditAction
from trappen.core.kpi.report import CATEGORY_NAMES
from trappen.core.kpi.results import GroupFigures
from trappen.evaluation import limits
from trappen.evaluation import views as steering
from trappen.evaluation.figures import Figures as Computed
from trappen.evaluation.forms import SteeringForm, default_data

from ..auth import refuse, requires
from ..models import Scope
from ..schemas import RATE_LIMITED, Error, Figures, ValidationError

router = Router(tags=["steering"])

GroupBy = Literal["group", "district", "team"]


def group_figures(name: str, figures: GroupFigures) -> dict[str, Any]:
    """The summary of one group's (or the total's) figures in a kpi report."""
    return {
        "name": name,
        "placed_aarsboern": figures.placed_aarsboern.total,
        "placed_children": figures.placed_children.total,
        "spending": figures.spending.total,
        "unit_cost": figures.unit_cost.total,
        "aarsboern_by_category": {c: figures.placed_aarsboern.of(c) for c in CATEGORY_NAMES},
        "spending_by_category": {c: figures.spending.of(c) for c in CATEGORY_NAMES},
        "breakdowns": figures.breakdowns.count,
        "complaints": figures.complaints.count,
    }


def summary(figures: Computed) -> dict[str, Any]:
    after = figures.after
    return {
        "period": {
            "start": after.period.start.isoformat(),
            "end": after.period.end.isoformat(),
            "days": after.period.days,
        },
        "group_by": after.group_by,
        "groups": [
            group_figures(n, after.groups[n]) for n in figures.group_names if n in after.groups
        ],
        "total": group_figures("total", after.total),
    }


@router.get(
    "/steering/figures",
    response={
        200: Figures,
        400: Error,
        401: Error,
        403: Error,
        422: ValidationError,
        503: Error,
        **RATE_LIMITED,
    },
    url_name="figures",
)
@requires(Scope.READ_STEERING)
def figures(
    request: HttpRequest,
    response: HttpResponse,
    start: Annotated[str | None, Query(None, description="YYYY-MM-DD; default 1 January")] = None,
    end: Annotated[str | None, Query(None, description="YYYY-MM-DD; default yesterday")] = None,
    group_by: Annotated[GroupBy, Query("group")] = "group",
) -> Any:
    """Årsbørn and spending per group for a period, as on the steering page."""
    if not policy.may_view_steering(request.user):
        raise refuse(request, AuditAction.READ, 403, refused="policy", page="steering")
    data = default_data(timezone.localdate())
    data["group_by"] = group_by
    if start is not None:
        data["start"] = start
    if end is not None:
        data["end"] = end
    form = SteeringForm(data)  # the page's own checks of the period
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        raise HttpError(400, errors)
    try:
        computed = steering.figures_for(form.query())
    except limits.Busy as busy:
        response["Retry-After"] = str(busy.retry_after)
        busy_text = _("The figures are being computed for other users. Try again in a moment.")
        return Status(503, {"detail": busy_text})
    return summary(computed)
