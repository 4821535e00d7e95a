"""`trappen simulate --scenario FILE`: the baseline against a scenario, estimated from a CSV
interchange folder or the database, over 1-10 years with 80 % intervals (docs/simulation.md).
`trappen simulate --backtest`: estimate on 2013-2014, forecast 2015, and the error."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.core.kpi import Period
from trappen.core.kpi.report import CATEGORY_NAMES, TYPES
from trappen.core.simulation.backtest import DEFAULT_WINDOW, backtest
from trappen.core.simulation.chain import estimate, latest_window
from trappen.core.simulation.montecarlo import MAX_YEARS, simulate
from trappen.core.simulation.scenario import ScenarioError, parse_scenario
from trappen.evaluation.management.commands.evaluate import load, parse_day, read_prices

KIND_LABELS = {
    "total": "total",
    "institution": "institution",
    "family_care": "family care",
    "home_based": "home-based",
}


def _q(q: dict[str, float], scale: float = 1.0, digits: int = 1) -> str:
    """median (low–high)."""
    return (
        f"{q['median'] / scale:,.{digits}f} "
        f"({q['low'] / scale:,.{digits}f}–{q['high'] / scale:,.{digits}f})"
    )


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
            ]
        ).rstrip()
        for row in rows
    ]


def simulation_text(result: dict[str, Any]) -> str:
    """The simulation's result as aligned text: the assumptions, then one table a year."""
    scenario, est = result["scenario"], result["estimate"]
    out = [
        f"Scenario: {scenario['name']}",
        f"Source: {scenario['source']}",
        "Assumptions:",
        *(f"  - {a}" for a in scenario["assumptions"]),
        f"Applies to: {', '.join(scenario['apply_to'])}"
        + (f"; rates of {scenario['rates_from']}" if scenario["rates_from"] else ""),
        "Changes: " + (", ".join(f"{k} {v:g}" for k, v in scenario["changes"].items()) or "none"),
        f"Estimated from {est['window']['from']} – {est['window']['to']} ({est['months']} months,"
        f" {est['transitions']:,} child-months, {est['entries_per_month']:g} new children a"
        f" month); {est['children_at_start']:,.0f} children at the start",
        f"Caseload today: {_num(result['staff']['current_caseload'])}; "
        f"target: {_num(result['staff']['caseload_target'])}",
        f"{result['runs']:,} runs, seed {result['seed']}; median (80 % interval); "
        + ("amounts in mio. kr., " + _prices(result)),
    ]
    mio = 1e6
    for year in result["years"]:
        base, scen = year["baseline"], year["scenario"]
        rows = [[f"Year {year['year']} ({year['from']} – {year['to']})", "baseline", "scenario"]]
        for kind, label in KIND_LABELS.items():
            rows.append(
                [
                    f"placed årsbørn, {label}",
                    _q(base["placed_aarsboern"][kind]),
                    _q(scen["placed_aarsboern"][kind]),
                ]
            )
        for t in TYPES:
            rows.append(
                [
                    f"  {t}",
                    _q(base["placed_aarsboern"]["by_type"][t]),
                    _q(scen["placed_aarsboern"]["by_type"][t]),
                ]
            )
        rows.append(
            [
                "spending on placements",
                _q(base["spending"]["placements"]["total"], mio, 2),
                _q(scen["spending"]["placements"]["total"], mio, 2),
            ]
        )
        for kind in CATEGORY_NAMES:
            rows.append(
                [
                    f"  {KIND_LABELS[kind]}",
                    _q(base["spending"]["placements"][kind], mio, 2),
                    _q(scen["spending"]["placements"][kind], mio, 2),
                ]
            )
        rows += [
            [
                "spending on other measures",
                _q(base["spending"]["other_measures"], mio, 2),
                _q(scen["spending"]["other_measures"], mio, 2),
            ],
            ["open cases", _q(base["open_cases"]), _q(scen["open_cases"])],
            ["caseworkers needed", _q(base["caseworkers"]), _q(scen["caseworkers"])],
            ["extra staff cost", "", _q(year["staff_cost"], mio, 2)],
            ["net saving", "", _q(year["net_saving"], mio, 2)],
            ["cumulative net saving", "", _q(year["cumulative_net_saving"], mio, 2)],
        ]
        out += ["", *_table(rows)]
    even = result["break_even"]
    shares = ", ".join(
        f"year {y + 1}: {p:.0%}" for y, p in enumerate(even["share_of_runs_by_year"])
    )
    out += [
        "",
        "Break-even (cumulative net saving >= 0): "
        + (f"year {even['year']}" if even["year"] else f"not within {len(result['years'])} years")
        + f" (share of runs by then: {shares})",
    ]
    return "\n".join(out) + "\n"


def _num(value: float | None) -> str:
    return "unknown" if value is None else f"{value:g}"


def _prices(result: dict[str, Any]) -> str:
    prices = result.get("prices")
    return f"{prices['base_year']} prices" if prices else "current prices"


def backtest_text(result: dict[str, Any]) -> str:
    est = result["estimate"]
    out = [
        f"Backtest: estimated on {est['window']['from']} – {est['window']['to']}, forecast "
        f"{result['forecast']['from']} – {result['forecast']['to']} (baseline, "
        f"{result['runs']:,} runs, seed {result['seed']})",
    ]
    for key, label, scale, digits in (
        ("placed_aarsboern", "placed årsbørn", 1.0, 1),
        ("spending", "spending on placements, mio. kr.", 1e6, 2),
    ):
        rows = [[label, "forecast (80 %)", "real", "error", "error %", "inside"]]
        figures = result[key]
        kinds = [(k, figures[k]) for k in KIND_LABELS] + [
            (f"  {t}", figures["by_type"][t]) for t in TYPES
        ]
        for name, c in kinds:
            rel = c["relative_error"]
            rows.append(
                [
                    KIND_LABELS.get(name, name),
                    f"{c['forecast'] / scale:,.{digits}f} "
                    f"({c['low'] / scale:,.{digits}f}–{c['high'] / scale:,.{digits}f})",
                    f"{c['real'] / scale:,.{digits}f}",
                    f"{c['error'] / scale:+,.{digits}f}",
                    "" if rel is None else f"{rel:+.1%}",
                    "yes" if c["inside_interval"] else "no",
                ]
            )
        out += ["", *_table(rows)]
    return "\n".join(out) + "\n"


class Command(BaseCommand):
    help = (
        "Simulate the baseline (today's rates) against a scenario (a TOML file): placed "
        "årsbørn by type, spending, staff cost and net saving per year with 80 % intervals, "
        "and the break-even year, estimated from a CSV interchange folder or the database. "
        "With --backtest: estimate on 2013-2014, forecast 2015 and print the error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", type=Path, help="A scenario file (TOML).")
        parser.add_argument("--years", type=int, default=5, help=f"1-{MAX_YEARS} (default 5).")
        parser.add_argument("--runs", type=int, default=10_000, help="Monte Carlo runs.")
        parser.add_argument("--seed", type=int, help="Seed of the random numbers (repeatable).")
        parser.add_argument(
            "--from",
            dest="source",
            default="db",
            help="A folder of interchange CSV files, or db (default).",
        )
        parser.add_argument(
            "--estimate-from",
            help="First day of the estimation window (a 1st of a month; default: 24 months "
            "before the month of the latest case or episode; backtest: 2013-01-01).",
        )
        parser.add_argument(
            "--estimate-to", help="Last day of the estimation window (a month's last day)."
        )
        parser.add_argument(
            "--prices", type=Path, help="A price index, one 'year,index' a line (fixed prices)."
        )
        parser.add_argument("--base-year", type=int, help="The year whose prices amounts are in.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--backtest",
            action="store_true",
            help="Estimate on the window, forecast the 12 months after it, compare with them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["backtest"] and options["scenario"] is None:
            raise CommandError("Give --scenario FILE (or --backtest).")
        if options["backtest"] and options["scenario"] is not None:
            # The backtest forecasts the baseline only; a scenario would be silently unused.
            raise CommandError("--backtest forecasts today's rates only: leave out --scenario.")
        if not 1 <= options["years"] <= MAX_YEARS:
            raise CommandError(f"--years must be 1-{MAX_YEARS}, not {options['years']}.")
        if options["runs"] < 1:
            raise CommandError(f"--runs must be at least 1, not {options['runs']}.")
        prices = read_prices(options["prices"]) if options["prices"] else None
        if prices is None and options["base_year"] is not None:
            raise CommandError("--base-year needs --prices (a price index).")
        if prices is not None and options["base_year"] is None:
            raise CommandError("--prices needs --base-year (the year whose kroner to use).")
        scenario = None
        if not options["backtest"]:
            path: Path = options["scenario"]
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    f"--scenario: cannot read {path}: {exc.strerror or exc}"
                ) from exc
            try:
                scenario = parse_scenario(text)
            except ScenarioError as exc:
                raise CommandError(f"{path}: {exc}") from exc
        ds = load(options["source"])
        try:
            window = self.window(options, ds)
            if scenario is None:
                result = backtest(
                    ds,
                    window,
                    runs=options["runs"],
                    seed=options["seed"] if options["seed"] is not None else 0,
                    prices=prices,
                    base_year=options["base_year"],
                )
            else:
                est = estimate(ds, window, prices=prices, base_year=options["base_year"])
                sim = simulate(
                    est,
                    scenario,
                    years=options["years"],
                    runs=options["runs"],
                    seed=options["seed"],
                )
                result = sim.summary()
        except ScenarioError as exc:
            raise CommandError(f"{options['scenario']}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        elif scenario is None:
            self.stdout.write(backtest_text(result), ending="")
        else:
            self.stdout.write(simulation_text(result), ending="")

    def window(self, options: dict[str, Any], ds: Any) -> Period:
        start, end = options["estimate_from"], options["estimate_to"]
        if bool(start) != bool(end):
            raise CommandError("Give both --estimate-from and --estimate-to, or neither.")
        if start:
            first = parse_day(start, "--estimate-from")
            last = parse_day(end, "--estimate-to")
            if last < first:
                raise CommandError(f"--estimate-to ({last}) is before --estimate-from ({first}).")
            return Period(first, last)
        if options["backtest"]:
            return DEFAULT_WINDOW
        return latest_window(ds)
