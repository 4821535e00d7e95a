"""What an import did: rows per table and what it added to the organisation and catalogue."""

from dataclasses import dataclass, field

from django.conf import settings

from trappen.core.interchange import Problem, file_name


@dataclass
class ImportSummary:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows in the dataset
    new_municipality: str = ""
    new_groups: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    new_districts: list[str] = field(default_factory=list)
    new_interventions: list[str] = field(default_factory=list)
    new_users: list[str] = field(default_factory=list)
    # Daily costs outside their plausible range that the user confirmed (--confirm-costs).
    confirmed_costs: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{file_name(t)}: {n} rows" for t, n in self.rows.items()]
        if self.confirmed_costs:
            out.append(
                f"daily costs outside the plausible range, confirmed: {len(self.confirmed_costs)}"
            )
            out += [f"  {p}" for p in self.confirmed_costs[:20]]
            if len(self.confirmed_costs) > 20:
                out.append(f"  … (+{len(self.confirmed_costs) - 20})")
        news = [
            ("municipality", [self.new_municipality] if self.new_municipality else []),
            ("district groups", self.new_groups),
            ("teams", self.new_teams),
            ("districts", self.new_districts),
            ("interventions in the catalogue", self.new_interventions),
            ("users (inactive)", self.new_users),
        ]
        for label, names in news:
            if names:
                shown = ", ".join(names[:20]) + (
                    f" … (+{len(names) - 20})" if len(names) > 20 else ""
                )
                out.append(f"new {label}: {len(names)}: {shown}")
        return out


def max_file_bytes() -> int:
    """The largest CSV file an import or `trappen evaluate` reads (TRAPPEN_IMPORT_MAX_FILE_MB)."""
    return int(settings.TRAPPEN_IMPORT_MAX_FILE_MB * 2**20)
