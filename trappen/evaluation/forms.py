from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trappen.core.kpi import Period
from trappen.evaluation.figures import Query
from trappen.organisation.models import District, DistrictGroup, Team

GROUP_BY_CHOICES = [
    ("group", _("District group")),
    ("district", _("District")),
    ("team", _("Team")),
]
LEVELS: dict[str, type[DistrictGroup | District | Team]] = {
    "group": DistrictGroup,
    "district": District,
    "team": Team,
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def default_period(today: date) -> Period:
    """From 1 January to yesterday; on 1 January, the whole year before."""
    yesterday = today - timedelta(days=1)
    return Period(date(yesterday.year, 1, 1), yesterday)


def default_data(today: date) -> dict[str, str]:
    period = default_period(today)
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "group_by": "group"}


# Figures before or after these years make no sense, and a period ending on the last day of
# the calendar cannot be computed (its stop is the day after).
FIRST_YEAR, LAST_YEAR = 1900, 2200


def in_sensible_range(value: date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def too_long(start: date, end: date) -> bool:
    """Longer than TRAPPEN_STEERING_MAX_YEARS (30): 1986-01-01 to 2015-12-31 is not."""
    return end >= years_later(start, settings.TRAPPEN_STEERING_MAX_YEARS)


def period_date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), validators=[in_sensible_range]
    )


class SteeringForm(forms.Form):
    """The period, an optional comparison period and the groups; read from the query string."""

    start = period_date(_("From"))
    end = period_date(_("To"))
    group_by = forms.ChoiceField(label=_("Grouped by"), choices=GROUP_BY_CHOICES)
    compare_start = period_date(_("Compare with the period from"), required=False)
    compare_end = period_date(_("to"), required=False)
    treated = forms.ChoiceField(label=_("Treated group (e.g. the pilot)"), required=False)
    control = forms.ChoiceField(label=_("Control group"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = {
            level: list(model.objects.order_by("name").values_list("name", flat=True))
            for level, model in LEVELS.items()
        }
        choices: list[Any] = [("", "—")]
        headings = {"group": _("District groups"), "district": _("Districts"), "team": _("Teams")}
        for level, names in self.names.items():
            if names:
                choices.append((headings[level], [(n, n) for n in names]))
        for name in ("treated", "control"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        years = {"years": settings.TRAPPEN_STEERING_MAX_YEARS}
        # A longer period takes seconds and megabytes per request, which the case work pays for.
        longest = _("A period can be at most %(years)s years long.")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        elif start and end and too_long(start, end):
            self.add_error("end", longest % years)
        c_start, c_end = data.get("compare_start"), data.get("compare_end")
        if bool(c_start) != bool(c_end):
            field = "compare_end" if c_start else "compare_start"
            self.add_error(field, _("Give both dates of the comparison period, or neither."))
        elif c_start and c_end and c_end < c_start:
            self.add_error("compare_end", _("The comparison period cannot end before it starts."))
        elif c_start and c_end and too_long(c_start, c_end):
            self.add_error("compare_end", longest % years)
        elif c_start and c_end and start and end and start <= end:
            # The comparison is "before" against "after": they must not share days.
            if c_start > end:
                self.add_error(
                    "compare_start",
                    _(
                        "The comparison period is the period before: it must end before the "
                        "period starts."
                    ),
                )
            elif c_end >= start:
                self.add_error(
                    "compare_end",
                    _(
                        "The two periods overlap: the comparison period must end before the "
                        "period starts."
                    ),
                )
        treated, control = data.get("treated"), data.get("control")
        if bool(treated) != bool(control):
            field = "control" if treated else "treated"
            self.add_error(field, _("Choose both a treated and a control group, or neither."))
        elif treated and treated == control:
            self.add_error("control", _("Choose two different groups."))
        elif treated and not (c_start or c_end):
            self.add_error(
                "compare_start",
                _("Comparing two groups needs a comparison period (the period before)."),
            )
        level = data.get("group_by")
        if level in self.names:
            for field in ("treated", "control"):
                name = data.get(field)
                if name and name not in self.names[level] and field not in self.errors:
                    self.add_error(
                        field,
                        _("%(name)s is not a %(level)s: choose one that matches “Grouped by”.")
                        % {"name": name, "level": dict(GROUP_BY_CHOICES)[level].lower()},
                    )
        return data

    def query(self) -> Query:
        d = self.cleaned_data
        before = None
        if d.get("compare_start") and d.get("compare_end"):
            before = Period(d["compare_start"], d["compare_end"])
        return Query(
            period=Period(d["start"], d["end"]),
            before=before,
            group_by=d["group_by"],
            treated=d.get("treated") or None,
            control=d.get("control") or None,
            trend=True,  # the page's panels, kept with its figures (figures.Query)
            quality=True,
        )

    def query_string(self) -> str:
        """The valid choices as a query string, for the Excel and report links."""
        d = self.cleaned_data
        values = {k: d.get(k) for k in self.fields}
        return urlencode(
            {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items() if v}
        )
