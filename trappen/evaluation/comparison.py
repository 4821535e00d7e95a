"""The comparison of a treated and a control group (`kpi.compare.Comparison`) as tables: the
headline differences in differences with their 95 % intervals, scales and Holm-adjusted
p-values; every key figure before and after (per year where it grows with the period); the
rates over person-time with exact tests; and the paired tests over the districts. The methods
are in docs/statistics.md."""

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappen.core.kpi.compare import Comparison, Headline, Metric, Side
from trappen.core.kpi.inference import Estimate
from trappen.core.staircase import PlacementType
from trappen.evaluation.formatting import show
from trappen.evaluation.tables import (
    CATEGORY_LABELS,
    FOLLOWUP_LABELS,
    STEP_LABELS,
    TYPE_LABELS,
    Column,
    Row,
    Span,
    Table,
    change_label,
    formatted,
    group_label,
    line,
    sections,
)

# kpi.compare's units → the table formats
UNIT_FORMATS = {
    "aarsboern": "dec2",
    "children": "int",
    "share": "pct",
    "dkk": "amount",
    "dkk_per_aarsbarn": "amount",
    "count": "int",
    "per_aarsbarn": "pct",
    "per_case": "dec2",
}

SECTION_LABELS = {
    "placed_aarsboern": gettext_lazy("Placed full-year children"),
    "placed_children": gettext_lazy("Placed children"),
    "share_of_placed": gettext_lazy("Share of placed full-year children"),
    "spending": gettext_lazy("Spending (kr.)"),
    "unit_cost": gettext_lazy("Unit cost per full-year child (kr.)"),
    "breakdowns": gettext_lazy("Breakdowns and complaints"),
    "complaints": gettext_lazy("Breakdowns and complaints"),
    "step_counts": gettext_lazy("Children on the staircase on the last date"),
    "followups_per_case": gettext_lazy("Follow-ups per case in the last half-year"),
}
FIXED_LABELS = {
    "breakdowns.count": gettext_lazy("Placement breakdowns"),
    "breakdowns.per_placed_aarsboern": gettext_lazy("Breakdowns per placed full-year child"),
    "complaints.count": gettext_lazy("Complaints"),
    "complaints.share": gettext_lazy("Complaints per case"),
}
REASONS = {
    "no base: n is 0 in one of the two": gettext_lazy("No base: one of the two has 0 cases."),
    "a negative count": gettext_lazy("A count is negative."),
    "a count exceeds its base": gettext_lazy("A count is larger than its base."),
    "a count or base is missing or not a whole number": gettext_lazy("A count or base is missing."),
    "all differences are 0": gettext_lazy("All changes are 0."),
    "all differences are equal: no variance": gettext_lazy("All changes are equal."),
    "no child-level data": gettext_lazy("No child-level data."),
    "a group has no events in a period: no finite ratio": gettext_lazy(
        "A group has no events in a period: the ratio cannot be estimated."
    ),
    "a group has no person-time in a period": gettext_lazy(
        "A group has no person-time in a period."
    ),
    "no person-time in one of the two": gettext_lazy("No person-time in one of the two."),
    "no events in either: nothing to compare": gettext_lazy("No events in either."),
    "no events in b: the ratio is unbounded": gettext_lazy(
        "No events in B: the interval has no upper limit."
    ),
    "the figure is undefined in a group or period": gettext_lazy(
        "The figure is undefined in a group or period."
    ),
    "no units in one of the groups": gettext_lazy("No districts in one of the groups."),
}


HEADLINE_LABELS = {
    "complaints.rate": gettext_lazy("Complaints per 100 open case-years"),
    "breakdowns.rate": gettext_lazy("Breakdowns per 100 placed child-years"),
    "share_of_placed.institution": gettext_lazy("Share of placed full-year children, institution"),
    "share_of_placed.family_care": gettext_lazy("Share of placed full-year children, foster care"),
    "unit_cost.total": gettext_lazy("Unit cost per full-year child per year (kr.)"),
}
ESTIMANDS = {
    "ratio of rate ratios": gettext_lazy("Ratio of rate ratios"),
    "difference in differences": gettext_lazy("Difference in differences"),
    "rate ratio": gettext_lazy("Rate ratio"),
    "mean difference": gettext_lazy("Mean change"),
}
METHODS = {
    "poisson_glm": gettext_lazy("Poisson model with person-time"),
    "quasi_poisson_glm": gettext_lazy("Poisson model over the districts (over-dispersion)"),
    "bootstrap": gettext_lazy("Bootstrap over the children"),
    "permutation": gettext_lazy("Permutation over the districts"),
    "exact_rate": gettext_lazy("Exact rate test"),
}
HEADLINE_FORMATS = {"per_year": "dec2", "share": "pct", "dkk_per_aarsbarn": "amount"}


def tables(comparison: Comparison, before: str, after: str) -> list[Table]:
    """The comparison's tables; `before` and `after` label the two periods."""
    out = [
        headline_table(comparison, before, after),
        metrics_table(comparison, before, after),
        rates_table(comparison, before, after),
    ]
    if comparison.paired:
        out.append(paired_table(comparison))
    return out


def metric_parts(key: str, fallback: str) -> tuple[str, str]:
    """(section, detail) of a `kpi.compare` metric key, e.g. "spending.by_type.foster_network"
    → ("Udgifter (kr.)", "Almindelig plejefamilie")."""
    parts = key.split(".")
    section, last = parts[0], parts[-1]
    if section not in SECTION_LABELS:
        return "", fallback
    detail: Any = None
    if key in FIXED_LABELS:
        detail = FIXED_LABELS[key]
    elif last in {t.value for t in PlacementType}:
        detail = TYPE_LABELS[PlacementType(last)]
    elif section == "step_counts":
        detail = STEP_LABELS.get(last)
    elif section == "followups_per_case":
        detail = FOLLOWUP_LABELS.get(last)
    elif len(parts) == 2:
        detail = CATEGORY_LABELS.get(last)
    return str(SECTION_LABELS[section]), str(detail) if detail is not None else fallback


def metric_label(key: str, fallback: str) -> str:
    section, detail = metric_parts(key, fallback)
    return f"{section}: {detail}" if section else detail


def reading(estimate: Estimate | None) -> str:
    """The plain sentence beside a test: whether chance alone could explain the difference."""
    if estimate is None or estimate.likely_chance is None:
        return ""
    if estimate.likely_chance:
        return _("The difference may be due to chance.")
    return _("The difference is unlikely to be chance.")


def reason_text(reason: Any) -> str:
    """kpi.compare's reason why a test gives no (or a trivial) p-value, in the UI's language."""
    if not reason:
        return ""
    text = str(reason)
    if text in REASONS:
        return str(REASONS[text])
    if text.startswith("fewer than 2 pairs"):
        return _("Fewer than two districts.")
    if text.startswith("expected counts below"):
        return _("Expected counts below 5: read the exact test.")
    return text


def scale_text(estimate: Estimate, fmt: str) -> str:
    if estimate.scale == "ratio":
        return _("ratio (1 = no difference)")
    if fmt == "pct":
        return _("absolute, percentage points")
    if fmt == "amount":
        return _("absolute, kr.")
    return _("absolute")


def _value(value: Any, estimate: Estimate, fmt: str) -> Any:
    """An estimate's number in its own format: ratios with two decimals, shares' differences
    in percentage points."""
    if value is None:
        return None
    if estimate.scale == "ratio":
        return formatted(value, "dec2")
    if fmt == "pct":
        return formatted(value * 100, "pp")
    return formatted(value, fmt)


def interval(estimate: Estimate, fmt: str) -> str:
    """ "0,14 – 5,65" in the active language; "" without an interval."""
    if estimate.low is None and estimate.high is None:
        return ""
    shown = []
    for end, v in (("low", estimate.low), ("high", estimate.high)):
        if v is None:
            shown.append("∞" if end == "high" else "–")
        elif estimate.scale == "ratio":
            shown.append(show(v, "dec2"))
        elif fmt == "pct":
            shown.append(show(v * 100, "pp"))
        else:
            shown.append(show(v, fmt))
    return " – ".join(shown)


def _times(value: Any, factor: float) -> Any:
    return None if value is None else value * factor


def _names(comparison: Comparison) -> dict[str, str]:
    return {
        "treated": group_label(comparison.treated),
        "control": group_label(comparison.control),
    }


def notes(comparison: Comparison) -> str:
    """What limits the tests: unequal periods, the overlap of the samples, the clustering."""
    out = []
    if not comparison.equal_length:
        out.append(
            _(
                "The periods are of different length (%(before)s and %(after)s days): "
                "figures that grow with the period are compared per year (per 365 days)."
            )
            % {"before": comparison.before.days, "after": comparison.after.days}
        )
    if comparison.overlap is not None:
        both, either = comparison.overlap.treated
        out.append(
            _(
                "%(both)s of the %(either)s placed children of %(group)s are in both periods: "
                "the tests between the periods assume independent samples and are too "
                "confident; the bootstrap keeps each child's two periods together."
            )
            % {"both": both, "either": either, "group": group_label(comparison.treated)}
        )
    if comparison.districts is not None:
        treated, control = comparison.districts
        out.append(
            _(
                "The pilot was assigned to %(treated)s of %(total)s districts: children in a "
                "district are not independent, so the permutation over the districts is the "
                "test that respects the design; it cannot give a p-value below %(p)s."
            )
            % {
                "treated": treated,
                "total": treated + control,
                "p": show(1 / math.comb(treated + control, treated), "p")
                if treated and control
                else "–",
            }
        )
    out.append(
        _(
            "P-values are adjusted for the number of comparisons (Holm) within each table. "
            "The methods are described in docs/statistics.md."
        )
    )
    return " ".join(out)


def headline_table(comparison: Comparison, before: str, after: str) -> Table:
    names = _names(comparison)
    rows = []
    for h in comparison.headline:
        fmt = HEADLINE_FORMATS.get(h.unit, "dec2")
        rows.append(line(str(HEADLINE_LABELS.get(h.key, h.label)), _headline_values(h, fmt)))
    return Table(
        key="did",
        number="",
        title=_("Difference in differences: %(treated)s against %(control)s")
        % {"treated": names["treated"], "control": names["control"]},
        chapter="comparison",
        row_label=_("Key figure"),
        columns=(
            Column(before, "num"),
            Column(after, "num"),
            Column(before, "num"),
            Column(after, "num"),
            Column(_("Estimand"), "text"),
            Column(_("Scale"), "text"),
            Column(_("Estimate"), "num"),
            Column(_("95 % interval"), "text"),
            Column(_("p (Holm)"), "p"),
            Column(_("Method"), "text"),
            Column(_("Permutation over the districts, p (Holm)"), "p"),
            Column(_("Reading"), "text"),
        ),
        rows=tuple(rows),
        spans=(Span(names["treated"], 2), Span(names["control"], 2), Span("", 8)),
        caption=_(
            "How much more the treated group changed than the control group, with a 95 % "
            "interval: rates as a ratio of rate ratios (Poisson model with person-time; 1 is "
            "no difference), shares and unit costs as an absolute difference (bootstrap over "
            "the children; 0 is no difference). Rates and unit costs are per year."
        ),
        note=notes(comparison),
    )


def _headline_values(h: Headline, fmt: str) -> tuple[Any, ...]:
    est = h.did
    per = 100 if h.unit == "per_year" else 1  # rates per 100 person-years
    return (
        formatted(_times(h.treated.before, per), fmt),
        formatted(_times(h.treated.after, per), fmt),
        formatted(_times(h.control.before, per), fmt),
        formatted(_times(h.control.after, per), fmt),
        str(ESTIMANDS.get(est.estimand, est.estimand)),
        scale_text(est, fmt),
        _value(est.value, est, fmt),
        interval(est, fmt),
        est.p,
        str(METHODS.get(est.method, est.method)),
        None if h.permutation is None else h.permutation.p,
        reading(est) or reason_text(est.reason),
    )


def _side_values(side: Side, fmt: str, per_year: bool) -> list[Any]:
    change_fmt, factor = ("pp", 100) if fmt == "pct" else (fmt, 1)
    lo, hi = (side.before_per_year, side.after_per_year) if per_year else (side.before, side.after)
    return [
        formatted(lo, fmt),
        formatted(hi, fmt),
        formatted(_times(side.change, factor), change_fmt),
        formatted(_times(side.change_pct, 0.01), "pct"),
    ]


def _metric_rows(metric: Metric, detail: str) -> list[Row]:
    fmt = UNIT_FORMATS.get(metric.unit, "dec2")
    change_fmt, factor = ("pp", 100) if fmt == "pct" else (fmt, 1)
    did = formatted(_times(metric.did, factor), change_fmt)
    if not metric.per_year:
        values = _side_values(metric.treated, fmt, False) + _side_values(metric.control, fmt, False)
        return [line(detail, (*values, did))]
    # The period's total (no change: periods of different length), then per year.
    totals: list[Any] = []
    for side in (metric.treated, metric.control):
        totals += [formatted(side.before, fmt), formatted(side.after, fmt), None, None]
    per_year = _side_values(metric.treated, fmt, True) + _side_values(metric.control, fmt, True)
    return [
        line(_("%(figure)s, in the period") % {"figure": detail}, (*totals, None)),
        line(_("%(figure)s, per year") % {"figure": detail}, (*per_year, did)),
    ]


def metrics_table(comparison: Comparison, before: str, after: str) -> Table:
    names = _names(comparison)
    parts: list[tuple[str, list[Row]]] = []
    for metric in comparison.metrics:
        if metric.key.endswith(".by_type.home_based"):
            continue  # home-based placement is a category of one type: its row is above
        section, detail = metric_parts(metric.key, metric.label)
        parts.append((section, _metric_rows(metric, detail)))
    per_group = [
        Column(before, "num"),
        Column(after, "num"),
        Column(change_label(), "num"),
        Column(_("Change in %"), "pct"),
    ]
    return Table(
        key="comparison",
        number="",
        title=_("%(treated)s against %(control)s") % names,
        chapter="comparison",
        row_label=_("Key figure"),
        columns=(*per_group, *per_group, Column(_("Difference in differences"), "num")),
        rows=sections(parts),
        spans=(Span(names["treated"], 4), Span(names["control"], 4), Span("", 1)),
        caption=_(
            "Each key figure before and after for the two groups; the difference in differences "
            "is the treated group's change minus the control group's. Figures that grow with "
            "the period's length (spending, unit costs, counts) are shown for the period and "
            "per year, and compared per year. Changes of shares are in percentage points."
        ),
    )


def rates_table(comparison: Comparison, before: str, after: str) -> Table:
    names = _names(comparison)
    periods = {"before": before, "after": after}
    measures = {
        "complaints": _("Complaints per 100 open case-years"),
        "breakdowns": _("Breakdowns per 100 placed child-years"),
    }
    rows = []
    for r in comparison.rates:
        if r.comparison == "between_groups":
            what = _("%(a)s against %(b)s, %(period)s") % {
                "a": names["treated"],
                "b": names["control"],
                "period": periods.get(str(r.period), ""),
            }
        else:
            what = _("%(group)s: %(after)s against %(before)s") % {
                "group": names.get(str(r.group), ""),
                "before": before,
                "after": after,
            }
        t = r.test
        rows.append(
            line(
                measures.get(r.measure, r.measure),
                (
                    what,
                    t.a_count,
                    t.a_years,
                    _times(t.a_rate, 100),
                    t.b_count,
                    t.b_years,
                    _times(t.b_rate, 100),
                    _value(t.exact.value, t.exact, "dec2"),
                    interval(t.exact, "dec2"),
                    t.exact.p_value,
                    t.exact.p_adjusted,
                    t.z.p_value,
                    reading(t.exact) or reason_text(t.exact.reason),
                    reason_text(t.z.reason) if t.exact.p_value is not None else "",
                ),
            )
        )
    side = [
        Column(_("Events"), "int"),
        Column(_("Person-years"), "dec2"),
        Column(_("Per 100 years"), "dec2"),
    ]
    return Table(
        key="rates",
        number="",
        title=_("Rates over person-time: complaints and breakdowns"),
        chapter="comparison",
        row_label=_("Measure"),
        columns=(
            Column(_("Compared"), "text"),
            *side,
            *side,
            Column(_("Rate ratio A/B"), "num"),
            Column(_("95 % interval"), "text"),
            Column(_("Exact test, p"), "p"),
            Column(_("Exact test, p (Holm)"), "p"),
            Column(_("z-test with continuity correction, p"), "p"),
            Column(_("Reading"), "text"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        spans=(Span("", 1), Span("A", 3), Span("B", 3), Span("", 7)),
        caption=_(
            "Complaints per year a case is open and breakdowns per year a child is placed, "
            "compared as a rate ratio with the exact conditional test (two-sided). The z-test "
            "(with continuity correction) is shown only when both expected counts are at "
            "least 5. Holm's adjustment is over the eight tests."
        ),
        note=notes(comparison),
    )


def paired_table(comparison: Comparison) -> Table:
    names = _names(comparison)
    rows = []
    for metric in comparison.paired or ():
        fmt = UNIT_FORMATS.get(metric.unit, "dec2")
        change_fmt, factor = ("pp", 100) if fmt == "pct" else (fmt, 1)
        label = metric_label(metric.key, metric.label)
        if metric.per_year:
            label = _("%(figure)s, per year") % {"figure": label}
        for role, side in (("treated", metric.treated), ("control", metric.control)):
            result = side.result
            t = result.t_test
            low_high = ""
            if t.low is not None and t.high is not None:
                low_high = " – ".join(show(v * factor, change_fmt) for v in (t.low, t.high))
            reason = t.reason or result.wilcoxon.reason
            rows.append(
                line(
                    label,
                    (
                        names[role],
                        side.n,
                        formatted(_times(result.mean_difference, factor), change_fmt),
                        low_high,
                        t.p,
                        result.wilcoxon.p,
                        ", ".join(side.excluded),
                        reason_text(reason),
                    ),
                )
            )
    return Table(
        key="paired",
        number="",
        title=_("Paired tests over the districts"),
        chapter="comparison",
        row_label=_("Key figure"),
        columns=(
            Column(_("Group"), "text"),
            Column(_("Districts"), "int"),
            Column(_("Mean change"), "num"),
            Column(_("95 % interval"), "text"),
            Column(_("Paired t-test, p (Holm)"), "p"),
            Column(_("Wilcoxon, p (Holm)"), "p"),
            Column(_("Left out (a value missing)"), "text"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        caption=_(
            "Each district's change from before to after, tested within each group (paired "
            "t-test and Wilcoxon signed-rank test, two-sided). They ask whether a group "
            "changed, not whether it changed more than the other; with four districts "
            "Wilcoxon's smallest possible p-value is 0.125."
        ),
    )
