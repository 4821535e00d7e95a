"""The comparison of a treated and a control group (`kpi.compare`) as tables: every key figure
before and after with the difference in differences, the two-proportion tests of complaints and
breakdowns, and the paired tests over the districts."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappen.core.staircase import PlacementType
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
    dig,
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
}


def tables(comparison: dict[str, Any], before: str, after: str) -> list[Table]:
    """The comparison's tables; `before` and `after` label the two periods."""
    out = [metrics_table(comparison, before, after), tests_table(comparison, before, after)]
    if comparison.get("paired"):
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


def significance(p: Any) -> str:
    if p is None:
        return ""
    return _("yes") if p < 0.05 else _("no")


def reason_text(reason: Any) -> str:
    """kpi.compare's reason why a test gives no (or a trivial) p-value, in the UI's language."""
    if not reason:
        return ""
    text = str(reason)
    if text in REASONS:
        return str(REASONS[text])
    if text.startswith("both shares are"):
        return _("Both shares are the same: nothing to test.")
    if text.startswith("fewer than 2 pairs"):
        return _("Fewer than two districts.")
    return text


def _times(value: Any, factor: float) -> Any:
    return None if value is None else value * factor


def _names(comparison: dict[str, Any]) -> dict[str, str]:
    return {
        "treated": group_label(str(comparison.get("treated"))),
        "control": group_label(str(comparison.get("control"))),
    }


def metrics_table(comparison: dict[str, Any], before: str, after: str) -> Table:
    names = _names(comparison)
    parts: list[tuple[str, list[Row]]] = []
    for key, metric in (comparison.get("metrics") or {}).items():
        if key.endswith(".by_type.home_based"):
            continue  # home-based placement is a category of one type: its row is above
        section, detail = metric_parts(key, str(metric.get("label", key)))
        # Each row has its own unit, so the formats travel with the values; a change of a
        # share is in percentage points.
        fmt = UNIT_FORMATS.get(str(metric.get("unit")), "dec2")
        change_fmt, factor = ("pp", 100) if fmt == "pct" else (fmt, 1)
        values: list[Any] = []
        for role in ("treated", "control"):
            m = metric.get(role) or {}
            values += [
                formatted(m.get("before"), fmt),
                formatted(m.get("after"), fmt),
                formatted(_times(m.get("change"), factor), change_fmt),
                formatted(_times(m.get("change_pct"), 0.01), "pct"),
            ]
        values.append(formatted(_times(metric.get("did"), factor), change_fmt))
        parts.append((section, [line(detail, values)]))
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
            "is the treated group's change minus the control group's. Changes of shares are in "
            "percentage points."
        ),
    )


def tests_table(comparison: dict[str, Any], before: str, after: str) -> Table:
    names = _names(comparison)
    periods = {"before": before, "after": after}
    measures = {"complaints": _("Complaints"), "breakdowns": _("Breakdowns")}
    rows = []
    for test in (comparison.get("tests") or {}).values():
        if test.get("comparison") == "between_groups":
            what = _("%(a)s against %(b)s, %(period)s") % {
                "a": names["treated"],
                "b": names["control"],
                "period": periods.get(str(test.get("period")), ""),
            }
        else:
            what = _("%(group)s: %(before)s against %(after)s") % {
                "group": names.get(str(test.get("group")), ""),
                "before": before,
                "after": after,
            }
        a, z = test.get("a") or {}, test.get("b") or {}
        p_fisher = dig(test, "fisher", "p_value")
        reason = dig(test, "fisher", "reason") or dig(test, "z", "reason")
        rows.append(
            line(
                measures.get(str(test.get("measure")), str(test.get("measure"))),
                (
                    what,
                    a.get("count"),
                    a.get("n"),
                    a.get("share"),
                    z.get("count"),
                    z.get("n"),
                    z.get("share"),
                    p_fisher,
                    dig(test, "z", "p_value"),
                    significance(p_fisher),
                    reason_text(reason),
                ),
            )
        )
    side = [Column(_("Number"), "int"), Column(_("Out of"), "int"), Column(_("Share"), "pct")]
    return Table(
        key="tests",
        number="",
        title=_("Significance tests: complaints and breakdowns"),
        chapter="comparison",
        row_label=_("Measure"),
        columns=(
            Column(_("Compared"), "text"),
            *side,
            *side,
            Column(_("Fisher's exact test, p"), "p"),
            Column(_("z-test, p"), "p"),
            Column(_("Significant (p < 0.05)"), "text"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        spans=(Span("", 1), Span("A", 3), Span("B", 3), Span("", 4)),
        caption=_(
            "Two shares compared with Fisher's exact test and the two-proportion z-test "
            "(two-sided). Complaints are counted out of the cases, breakdowns out of the placed "
            "children."
        ),
    )


def paired_table(comparison: dict[str, Any]) -> Table:
    names = _names(comparison)
    rows = []
    for key, metric in ((comparison.get("paired") or {}).get("metrics") or {}).items():
        fmt = UNIT_FORMATS.get(str(metric.get("unit")), "dec2")
        change_fmt, factor = ("pp", 100) if fmt == "pct" else (fmt, 1)
        for role in ("treated", "control"):
            m = metric.get(role) or {}
            p_t = dig(m, "t_test", "p_value")
            reason = dig(m, "t_test", "reason") or dig(m, "wilcoxon", "reason")
            rows.append(
                line(
                    metric_label(key, str(metric.get("label", key))),
                    (
                        names[role],
                        m.get("n"),
                        formatted(_times(m.get("mean_difference"), factor), change_fmt),
                        p_t,
                        dig(m, "wilcoxon", "p_value"),
                        significance(p_t),
                        ", ".join(m.get("excluded") or []),
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
            Column(_("Paired t-test, p"), "p"),
            Column(_("Wilcoxon, p"), "p"),
            Column(_("Significant (p < 0.05)"), "text"),
            Column(_("Left out (a value missing)"), "text"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        caption=_(
            "Each district's change from before to after, tested within each group (paired "
            "t-test and Wilcoxon signed-rank test, two-sided)."
        ),
    )
