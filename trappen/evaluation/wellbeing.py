"""The steering's wellbeing tables (docs/wellbeing.md, "For the steering"): SDQ coverage,
before/after per group, the difference-in-differences between groups of districts, and goal
attainment with the child's own rating per group and half-year, from
`trappen.core.kpi.wellbeing`. They go wherever the other tables go: the steering page, the
workbook, the printable report and `trappen evaluate`."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappen.core.kpi.inference import Estimate
from trappen.core.kpi.wellbeing import SdqFigures
from trappen.evaluation.comparison import interval, reason_text
from trappen.evaluation.tables import Column, Table, group_label, line, period_label

INFORMANT_LABELS = {
    "parent": gettext_lazy("Parent"),
    "teacher": gettext_lazy("Teacher"),
    "self": gettext_lazy("Self-report (11-17)"),
}
REASONS = {
    "all differences are 0": gettext_lazy("All changes are 0."),
    "no variance": gettext_lazy("No variance: every change is the same."),
}


def _reason(estimate: Estimate) -> str:
    reason = estimate.reason or ""
    if reason.startswith("fewer than 2 pairs"):
        return _("Fewer than two children with a first and a later measurement.")
    if reason.startswith("fewer than 2 children"):
        return _("Fewer than two children with a first and a later measurement in a group.")
    if reason in REASONS:
        return str(REASONS[reason])
    return reason_text(reason)


def _informant(value: str) -> str:
    return str(INFORMANT_LABELS.get(value, value))


def coverage_table(w: SdqFigures) -> Table:
    rows = [
        line(
            f"{group_label(c.group)} · {_informant(c.informant)}",
            (c.in_care, c.measured, c.paired, c.share_paired, c.in_care - c.paired),
        )
        for c in w.coverage
    ]
    return Table(
        key="sdq-coverage",
        number="",
        title=_("SDQ coverage: children in care with a first and a later measurement"),
        chapter="wellbeing",
        row_label=_("Group · informant"),
        columns=(
            Column(_("Children in care"), "int"),
            Column(_("With a first SDQ"), "int"),
            Column(_("With a first and a later SDQ"), "int"),
            Column(_("Share with both"), "pct"),
            Column(_("Missing (no pair)"), "int"),
        ),
        rows=tuple(rows),
        caption=_(
            "Children with a measure some day of %(period)s, of the age the informant's "
            "questionnaire is for (parent and teacher 4-17, self-report 11-17). The first SDQ is "
            "a child's earliest by that informant with a total score; the later one the latest "
            "in the period, after the first. KORA had this for 25 of about 400 children."
        )
        % {"period": period_label(w.period)},
        sheet=_("SDQ"),
    )


def before_after_table(w: SdqFigures) -> Table:
    rows = []
    for b in w.before_after:
        if b.n == 0 and b.missing == 0:
            continue
        rows.append(
            line(
                f"{group_label(b.group)} · {_informant(b.informant)}",
                (
                    b.n,
                    b.mean_before,
                    b.mean_after,
                    b.mean_change,
                    interval(b.t_test, "num"),
                    b.t_test.p_value,
                    b.wilcoxon.p_value,
                    b.effect_size,
                    b.missing,
                    _reason(b.t_test) or _reason(b.wilcoxon),
                ),
            )
        )
    return Table(
        key="sdq-before-after",
        number="",
        title=_("SDQ total difficulties before and after, per group"),
        chapter="wellbeing",
        row_label=_("Group · informant"),
        columns=(
            Column(_("n (children)"), "int"),
            Column(_("Mean, first"), "num"),
            Column(_("Mean, later"), "num"),
            Column(_("Mean change"), "num"),
            Column(_("95 % interval"), "text"),
            Column(_("Paired t-test, p"), "p"),
            Column(_("Wilcoxon, p"), "p"),
            Column(_("Effect size (d_z)"), "num"),
            Column(_("Missing (no pair)"), "int"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        caption=_(
            "Total difficulties (0-40) at the child's first and later SDQ; a negative change "
            "is fewer difficulties. Paired t-test and Wilcoxon signed-rank test, two-sided; "
            "d_z is the mean change over the standard deviation of the changes."
        ),
        sheet=_("SDQ"),
    )


def did_table(w: SdqFigures) -> Table | None:
    if not w.did:
        return None
    rows = [
        line(
            _informant(d.informant),
            (
                group_label(d.treated),
                d.treated_n,
                group_label(d.control),
                d.control_n,
                d.estimate.value,
                interval(d.estimate, "num"),
                d.estimate.p_value,
                _reason(d.estimate),
            ),
        )
        for d in w.did
    ]
    return Table(
        key="sdq-did",
        number="",
        title=_("SDQ: difference-in-differences between the groups"),
        chapter="wellbeing",
        row_label=_("Informant"),
        columns=(
            Column(_("Treated group"), "text"),
            Column(_("n"), "int"),
            Column(_("Control group"), "text"),
            Column(_("n"), "int"),
            Column(_("Difference in mean change"), "num"),
            Column(_("95 % interval"), "text"),
            Column(_("Welch t-test, p"), "p"),
            Column(_("Remark"), "text"),
        ),
        rows=tuple(rows),
        caption=_(
            "The treated group's mean change in total difficulties minus the control group's "
            "(below 0: the treated group's children improved more), with Welch's interval for "
            "two groups of different children."
        ),
        sheet=_("SDQ"),
    )


def goal_table(w: SdqFigures) -> Table | None:
    if not w.goal_attainment:
        return None
    rows = [
        line(
            f"{group_label(g.group)} · {g.half_year.year} H{g.half_year.half}",
            (g.goals, g.ratings, g.mean, g.share_expected, g.child_n, g.child_mean),
        )
        for g in w.goal_attainment
    ]
    return Table(
        key="goal-attainment",
        number="",
        title=_("Goal attainment and the child's own rating, per group and half-year"),
        chapter="wellbeing",
        row_label=_("Group · half-year"),
        columns=(
            Column(_("Goals rated"), "int"),
            Column(_("Goal ratings"), "int"),
            Column(_("Mean attainment (−2 … +2)"), "dec2"),
            Column(_("Share as expected or better (≥ 0)"), "pct"),
            Column(_("Child's own ratings (n)"), "int"),
            Column(_("Child's own rating, mean (1-10)"), "dec2"),
        ),
        rows=tuple(rows),
        caption=_(
            "Each SMART goal of the action plan rated at the follow-ups held in %(period)s, "
            "from −2 (much less than expected) to +2 (much more than expected); H1 is "
            "January-June, H2 July-December. The child's own rating of how things are, 1-10, "
            "is asked at the child conversation."
        )
        % {"period": period_label(w.period)},
        sheet=_("Goals"),
    )


def tables(w: SdqFigures | None) -> list[Table]:
    if w is None:
        return []
    out = []
    if not w.is_empty:
        out += [coverage_table(w), before_after_table(w)]
        did = did_table(w)
        if did is not None:
            out.append(did)
    goals = goal_table(w)
    if goals is not None:
        out.append(goals)
    return out


def as_data(w: SdqFigures | None) -> dict[str, Any] | None:
    return None if w is None else w.as_dict()
