"""The steering's simulation form: a bundled scenario or an uploaded one (validated by
`core.simulation.scenario`, every problem named), the years and a bounded number of runs."""

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.core.simulation.montecarlo import MAX_YEARS
from trappen.core.simulation.scenario import Scenario, ScenarioError, parse_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "core" / "simulation" / "scenarios"
UPLOAD = "upload"
MAX_RUNS = 2_000  # a web request: about 3 s on the demo; the command line has no cap
MAX_UPLOAD_BYTES = 64 * 1024


def bundled() -> dict[str, Path]:
    """The scenario files shipped with trappen, by file stem."""
    return {p.stem: p for p in sorted(SCENARIOS.glob("*.toml"))}


def _choices() -> list[tuple[str, str]]:
    out: list[tuple[str, Any]] = []
    for stem, path in bundled().items():
        try:
            out.append((stem, parse_scenario(path.read_text(encoding="utf-8")).name))
        except ScenarioError:  # a broken bundled file is left out (tests check them all)
            continue
    out.append((UPLOAD, _("My own scenario file (upload)")))
    return out


class SimulationForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"), choices=_choices)
    file = forms.FileField(
        label=_("Scenario file (TOML)"),
        required=False,
        help_text=_("A scenario as in docs/simulation.md; at most 64 KB."),
    )
    years = forms.IntegerField(label=_("Years"), min_value=1, max_value=MAX_YEARS, initial=5)
    runs = forms.IntegerField(
        label=_("Runs"),
        min_value=100,
        max_value=MAX_RUNS,
        initial=1_000,
        help_text=_("100-2,000 on this page; the command line takes more."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**32 - 1,
        initial=0,
        help_text=_("The same seed gives the same result."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("scenario")
        if choice is None:
            return data
        if choice == UPLOAD:
            upload = data.get("file")
            if upload is None:
                self.add_error("file", _("Choose a scenario file to upload."))
                return data
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", _("The file is larger than 64 KB."))
                return data
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
                return data
            where = "file"
        else:
            text = bundled()[choice].read_text(encoding="utf-8")
            where = "scenario"
        try:
            data["parsed"] = parse_scenario(text)
        except ScenarioError as exc:
            self.add_error(where, _("The scenario cannot be used: %(error)s") % {"error": exc})
        return data

    @property
    def parsed(self) -> Scenario:
        return self.cleaned_data["parsed"]


class StaffingForm(forms.Form):
    """The calculator's choices; what is left out comes from the targets and the rhythm file."""

    caseload_target = forms.DecimalField(
        label=_("Caseload target (cases per caseworker)"),
        min_value=1,
        max_value=100,
        decimal_places=1,
        initial=25,
    )
    hours_per_followup = forms.DecimalField(
        label=_("Hours per follow-up"), min_value=0, max_value=40, decimal_places=1, initial=3
    )
    caseworker_hours_per_year = forms.IntegerField(
        label=_("A caseworker's hours a year for follow-ups and meetings"),
        min_value=100,
        max_value=1_800,
        initial=1_000,
    )


class PlanYearForm(forms.Form):
    """One year of the plan, as KORA's table 2.4: the investment and the expected saving."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    investment = forms.DecimalField(
        label=_("Investment, kr"), min_value=0, max_digits=14, decimal_places=0
    )
    expected_saving = forms.DecimalField(
        label=_("Expected saving on placements, kr"), max_digits=14, decimal_places=0
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AccountsForm(forms.Form):
    """The booked accounts per function and year: a CSV file (docs/simulation.md)."""

    accounts = forms.FileField(
        label=_("Booked accounts (CSV: year,function,amount)"),
        help_text=_("All or nothing: a file with a problem changes nothing. At most 1 MB."),
    )

    def clean_accounts(self) -> Any:
        upload = self.cleaned_data["accounts"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
