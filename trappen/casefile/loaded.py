"""The case's rows, each read once for the whole case page.

`compose()` makes one `Loaded` per case page and hands it to every timeline source and panel
that asks for it (a parameter named `loaded`, see `registry`). Each attribute is read on first
use and kept, so the panels and the timeline share one list of the case's episodes, follow-ups,
investigations and the rest instead of each querying its own: the case page's query count does
not grow with the number of panels that show the same rows.

Only reads: the case came through `policy.get_case`, which decided the access and audited the
read. The lists are in each model's default order (as `case.<relation>.all()` gives them).
"""

from collections import defaultdict
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone

from trappen.cases.models import Case
from trappen.intake.models import Notification
from trappen.plans.models import ActionPlanRevision


class Loaded:
    def __init__(self, case: Case, today: date | None = None) -> None:
        self.case = case
        self.today = today or timezone.localdate()

    # ---- which of the rarer rows exist at all (one query) ---------------------------------------

    # The case's relations most cases have none of: asked about together, so an empty one
    # costs no query of its own (a case with all of them costs this one query more).
    RARE = (
        "visitation_requests",
        "transfers",
        "early_steps",
        "complaints",
        "activities",
        "network_meetings",
        "sibling_tasks",
    )
    # The episodes' relations of the same kind (their exceptions and provider's reports).
    RARE_OF_EPISODES = ("exceptions", "reports")
    # The investigations' area assessments (the investigation profile).
    RARE_OF_INVESTIGATIONS = ("areas",)

    @cached_property
    def present(self) -> dict[str, bool]:
        """Per name in `RARE` and `RARE_OF_...`: does the case have any such row?"""
        probes = {}
        for name in self.RARE:
            manager = getattr(self.case, name)
            rows = manager.model._default_manager.filter(**{manager.field.name: OuterRef("pk")})
            probes[f"has_{name}"] = Exists(rows)
        for parent, names in (
            (self.case.episodes.model, self.RARE_OF_EPISODES),
            (self.case.investigations.model, self.RARE_OF_INVESTIGATIONS),
        ):
            for name in names:
                field: Any = parent._meta.get_field(name)
                rows = field.related_model._default_manager.filter(
                    **{f"{field.field.name}__case": OuterRef("pk")}
                )
                probes[f"has_{name}"] = Exists(rows)
        found = Case.objects.filter(pk=self.case.pk).values(**probes).first()
        return {name[4:]: bool(found and found[name]) for name in probes}

    # ---- measures -----------------------------------------------------------------------------

    @cached_property
    def child_episodes(self) -> list[Any]:
        """Every episode of the case's child (the current step counts them all), newest first;
        those of this case carry the case itself (`episode.case` needs no query)."""
        episodes = list(
            self.case.child.episodes.select_related(
                "intervention", "legal_basis", "visitation__decided_by"
            )
        )
        for e in episodes:
            if e.case_id == self.case.pk:
                e.case = self.case
        return episodes

    @cached_property
    def episodes(self) -> list[Any]:
        """The case's episodes, newest first."""
        return [e for e in self.child_episodes if e.case_id == self.case.pk]

    def active_episodes(self, day: date | None = None) -> list[Any]:
        """The case's episodes active on `day` (today): the twin of `Episode.objects.active_on`
        (started on or before it, the end date exclusive)."""
        on = day or self.today
        return [
            e for e in self.episodes if e.start_on <= on and (e.end_on is None or e.end_on > on)
        ]

    @cached_property
    def child_movements(self) -> list[Any]:
        """The child's movements on the staircase, newest first."""
        return list(self.case.child.movements.select_related("recorded_by"))

    @cached_property
    def movements(self) -> list[Any]:
        return [m for m in self.child_movements if m.case_id == self.case.pk]

    @cached_property
    def visitation_requests(self) -> list[Any]:
        if not self.present["visitation_requests"]:
            return []
        return list(
            self.case.visitation_requests.select_related(
                "intervention", "requested_by", "decided_by"
            )
        )

    # ---- follow-ups ---------------------------------------------------------------------------

    @cached_property
    def follow_ups(self) -> list[Any]:
        """The case's follow-ups, newest first."""
        return list(self.case.follow_ups.select_related("episode__intervention", "recorded_by"))

    @cached_property
    def follow_ups_by_episode(self) -> dict[int, list[Any]]:
        """Each episode's follow-ups in the order they were held (oldest first)."""
        out: dict[int, list[Any]] = defaultdict(list)
        for f in sorted(self.follow_ups, key=lambda f: (f.held_on, f.pk)):
            out[f.episode_id].append(f)
        return dict(out)

    def with_exceptions_and_reports(self, episodes: list[Any]) -> list[Any]:
        """`episodes` with their follow-up exceptions and provider reports prefetched (one
        query each for all of them, none for a kind the case has none of)."""
        lookups = [
            name
            if self.present[name]
            else Prefetch(
                name,
                queryset=getattr(self.case.episodes.model, name).rel.related_model.objects.none(),
            )
            for name in self.RARE_OF_EPISODES
        ]
        prefetch_related_objects(episodes, *lookups)
        return episodes

    # ---- investigations, notifications (kept on the case: `case.investigations.all()` and
    # `case.notifications.all()` then read no more) -------------------------------------------

    def keep_on_case(self) -> None:
        """Read the investigations and notifications now, onto the case."""
        self.investigations  # noqa: B018 (a cached property, read for its effect)
        self.notifications  # noqa: B018

    @cached_property
    def investigations(self) -> list[Any]:
        prefetch_related_objects([self.case], "investigations")
        return list(self.case.investigations.all())

    @cached_property
    def notifications(self) -> list[Any]:
        queryset = Notification.objects.select_related("assessed_by", "notifier_organisation")
        prefetch_related_objects([self.case], Prefetch("notifications", queryset=queryset))
        return list(self.case.notifications.all())

    # ---- the case's own history ---------------------------------------------------------------

    @cached_property
    def assignments(self) -> list[Any]:
        return list(self.case.assignments.select_related("caseworker", "assigned_by", "handover"))

    @cached_property
    def journal(self) -> list[Any]:
        return list(self.case.journal.select_related("author"))

    @cached_property
    def early_steps(self) -> list[Any]:
        if not self.present["early_steps"]:
            return []
        return list(self.case.early_steps.select_related("recorded_by"))

    @cached_property
    def transfers(self) -> list[Any]:
        if not self.present["transfers"]:
            return []
        return list(self.case.transfers.select_related("to_team", "from_team"))

    @property
    def pending_transfer(self) -> Any:
        """The transfer not yet completed (the newest, as `transfers.first()` gives it)."""
        return next((t for t in self.transfers if t.completed_at is None), None)

    # ---- plans, consent, the interdisciplinary work -------------------------------------------

    @cached_property
    def plan_revisions(self) -> list[Any]:
        """The action plan's revisions, the newest first."""
        return list(
            ActionPlanRevision.objects.filter(plan__case=self.case).select_related("author")
        )

    @cached_property
    def consents(self) -> list[Any]:
        return list(self.case.consents.select_related("recipient", "withdrawn_by"))

    @cached_property
    def open_sharings(self) -> list[Any]:
        return list(self.case.sharings.filter(ended_at__isnull=True).select_related("user"))

    @cached_property
    def activities(self) -> list[Any]:
        if not self.present["activities"]:
            return []
        return list(self.case.activities.select_related("recorded_by"))

    @cached_property
    def network_meetings(self) -> list[Any]:
        if not self.present["network_meetings"]:
            return []
        return list(self.case.network_meetings.all())

    @cached_property
    def complaints(self) -> list[Any]:
        if not self.present["complaints"]:
            return []
        return list(self.case.complaints.all())

    @cached_property
    def open_sibling_tasks(self) -> list[Any]:
        """The open tasks to consider investigating the siblings (§ 20)."""
        if not self.present["sibling_tasks"]:
            return []
        return list(self.case.sibling_tasks.filter(closed_on__isnull=True))
