"""The programme's targets on the team leader's and the analyst's home (F13 point 5, F10 point
4): per district group and over time, with the SDQ coverage read from the wellbeing figures,
through the steering's shared cache; and the steering page's panels composed by its view."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.conftest import place
from trappen.core.kpi import Period
from trappen.core.kpi.wellbeing import Coverage, SdqFigures
from trappen.core.targets import Light
from trappen.evaluation import limits
from trappen.evaluation.home import home_query
from trappen.evaluation.targets import TOTAL, sdq_coverage, slices
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode
from trappen.wellbeing import services as sdq_services

ANSWERS = [1] * 25
HX = {"HX-Request": "true"}


def _row(board, key):
    return next(r for r in board.rows if r.target.key == key)


@pytest.fixture
def team(org):
    """Pilot (Team Nord): four children placed 400 days ago, three in foster families and one
    in a residential institution, three of the four with a parent's SDQ before and after.
    Øvrige (Team Syd): one child in a residential institution, no SDQ."""
    today = timezone.localdate()
    start = today - timedelta(days=400)
    north = [
        place(org, cpr, org.d_north, 4, "foster_ordinary", start)
        for cpr in ("0303104123", "0404104123", "0505104123")
    ]
    north.append(place(org, "0606104123", org.d_north, 5, "residential_institution", start))
    place(org, "0707104123", org.d_south, 5, "residential_institution", start)
    for episode in north[:3]:
        for day in (start + timedelta(days=10), today - timedelta(days=30)):
            sdq_services.record(
                episode.case, informant="parent", measured_on=day, answers=ANSWERS, by=org.cw1
            )
    return org


def _fragment(org, user):
    return org.client(user).get(reverse("dashboards:targets"), headers=HX)


def test_the_team_leader_lands_on_a_page_that_loads_the_targets(team):
    html = team.client(team.leader).get(reverse("dashboards:home"), follow=True).content.decode()
    assert 'id="targets"' in html
    assert f'hx-get="{reverse("dashboards:targets")}"' in html
    response = _fragment(team, team.leader)
    assert response.status_code == 200
    board = response.context["board"]
    family = _row(board, "family_care_share")
    # Pilot 3 of 4 in family care (75 %, green); Øvrige 0 of 1 (red); in all 3 of 5 (60 %, red).
    assert dict((n, (round(r.value, 2), r.light)) for n, r in family.groups) == {
        "Pilot": (0.75, Light.GREEN),
        "Øvrige": (0.0, Light.RED),
    }
    assert (round(family.total.value, 2), family.light) == (0.6, Light.RED)
    html = response.content.decode()
    assert '<span class="flag green">75 %</span>' in html
    assert '<span class="flag red">60 %</span>' in html
    assert "Barnesen" not in html and "0303104123" not in html  # shares only, never a child


def test_the_targets_over_time_on_the_home(team):
    board = _fragment(team, team.leader).context["board"]
    # The two twelve-month periods in four half-years, the last ending today.
    assert len(board.slices) == 4 and board.slices[-1].end == timezone.localdate()
    family = _row(board, "family_care_share")
    # The oldest half-year ends before anyone was placed: not measured; the later ones 60 %.
    assert [r.light for r in family.over_time] == [Light.UNMEASURED] + [Light.RED] * 3
    assert [round(r.value, 2) for r in family.over_time[1:]] == [0.6] * 3
    pilot = dict(family.groups_over_time)["Pilot"]
    assert [r.light for r in pilot[1:]] == [Light.GREEN] * 3
    # Follow-ups on time as the due lists stood at each half-year's end: none due before the
    # placements; then nothing held, every point overdue (0 %), the last column today's lists.
    followups = _row(board, "followups_on_time")
    assert followups.over_time[0].light == Light.UNMEASURED
    assert [r.value for r in followups.over_time[1:]] == [0.0] * 3
    html = _fragment(team, team.leader).content.decode()
    assert 'id="targets-trend-heading"' in html


def test_follow_ups_on_time_over_time_per_group(team):
    """Each Pilot placement (started 400 days ago) followed up 10 days after its start. A
    year ago only the 2-week points were due: Pilot's 4 met, Øvrige's 1 not, 4 of 5; since,
    the next point (6 weeks after the follow-up held) overdue as well: Pilot 1 of 2 each,
    Øvrige 0 of 2, in all 4 of 10 (half a year ago and today alike)."""
    for episode in Episode.objects.filter(child__district=team.d_north):
        FollowUp.objects.create(
            episode=episode,
            case=episode.case,
            held_on=episode.start_on + timedelta(days=10),
            form="meeting",
            child_conversation=True,
            plan_review="kept",
            recorded_by=team.cw1,
        )
    board = _fragment(team, team.leader).context["board"]
    followups = _row(board, "followups_on_time")
    assert [r.value for r in followups.over_time] == [None, 0.8, 0.4, 0.4]
    assert followups.total.value == 0.4 and followups.light == Light.RED
    by_group = dict(followups.groups_over_time)
    assert [r.value for r in by_group["Pilot"]] == [None, 1.0, 0.5, 0.5]
    assert [r.value for r in by_group["Øvrige"]] == [None, 0.0, 0.0, 0.0]
    # Against the due lists at the comparison period's end (a year ago): worse.
    assert followups.before.value == 0.8 and followups.improves is False


def test_sdq_coverage_is_read_from_the_wellbeing_figures(team):
    board = _fragment(team, team.analyst).context["board"]
    coverage = _row(board, "sdq_coverage")
    # Pilot: 3 of 4 in care with a parent's first and later SDQ (75 %, yellow: 60-80 %);
    # Øvrige: 0 of 1 (red); in all 3 of 5 (60 %, yellow).
    assert dict((n, (round(r.value, 2), r.light)) for n, r in coverage.groups) == {
        "Pilot": (0.75, Light.YELLOW),
        "Øvrige": (0.0, Light.RED),
    }
    assert (round(coverage.total.value, 2), coverage.light) == (0.6, Light.YELLOW)


def test_sdq_coverage_counts_the_parents_pairs_over_the_groups():
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    figures = SdqFigures(
        period,
        "group",
        (
            Coverage("Pilot", "parent", 10, 9, 8),
            Coverage("Pilot", "teacher", 10, 10, 10),  # another informant: not this target
            Coverage("Øvrige", "parent", 5, 2, 1),
        ),
        (),
    )
    assert sdq_coverage(figures, "Pilot") == 0.8
    assert sdq_coverage(figures, "Øvrige") == 0.2
    assert sdq_coverage(figures) == 9 / 15
    assert sdq_coverage(figures, "Mars") is None  # nobody in care there
    assert sdq_coverage(None) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # A calendar year: its two halves.
        (date(2015, 1, 1), date(2015, 12, 31), [(date(2015, 1, 1), date(2015, 6, 30)),
                                                 (date(2015, 7, 1), date(2015, 12, 31))]),
        # Half-years end on the period's last day; the earliest is cut at its start.
        (date(2025, 3, 15), date(2026, 3, 31), [(date(2025, 3, 15), date(2025, 3, 31)),
                                                 (date(2025, 4, 1), date(2025, 9, 30)),
                                                 (date(2025, 10, 1), date(2026, 3, 31))]),
        # 31 August back six months: 1 March (no 31 February trouble).
        (date(2026, 3, 1), date(2026, 8, 31), [(date(2026, 3, 1), date(2026, 8, 31))]),
    ],
)  # fmt: skip
def test_the_trends_slices(start, end, expected):
    assert [(p.start, p.end) for p in slices(start, end)] == expected


def test_a_long_period_is_followed_by_year_at_most_ten():
    parts = slices(date(1986, 1, 1), date(2025, 12, 31))
    assert len(parts) == 10
    assert (parts[0].start, parts[-1].end) == (date(2016, 1, 1), date(2025, 12, 31))
    assert all(p.days == (366 if p.start.year % 4 == 0 else 365) for p in parts)


def test_the_home_targets_come_from_the_cache_daily_warms(team, monkeypatch):
    calls = []
    real = limits.compute
    monkeypatch.setattr(limits, "compute", lambda ds, q: calls.append(q) or real(ds, q))
    call_command("daily", "--only", "steering cache", stdout=StringIO())
    assert home_query(timezone.localdate()) in calls
    calls.clear()
    assert _fragment(team, team.leader).status_code == 200
    assert _fragment(team, team.analyst).status_code == 200
    assert calls == []


def test_the_home_targets_fragment_is_pinned(team, django_assert_max_num_queries):
    client = team.client(team.leader)
    client.get(reverse("dashboards:targets"), headers=HX)  # computed and kept
    # Session and user, the data version and the cached figures, and today's due lists of the
    # open cases (followups.ontime: the episodes and their follow-up rows, a fixed number).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dashboards:targets"), headers=HX).status_code == 200


def test_the_targets_page_without_htmx_and_for_others(team):
    page = team.client(team.analyst).get(reverse("dashboards:targets"))
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert team.client(team.cw1).get(reverse("dashboards:targets")).status_code == 403
    assert _fragment(team, team.cw1).content.decode().strip() == ""


def test_busy_says_try_again(team, monkeypatch):
    def busy(query):
        raise limits.Busy

    monkeypatch.setattr(limits, "figures_for", busy)
    response = _fragment(team, team.leader)
    assert response.status_code == 503 and response["Retry-After"]
    assert 'role="status"' in response.content.decode()


def test_no_template_tag_composes_the_targets_or_the_quality_panel():
    """F7 point 1: the views compose the pages; the tags that computed these panels are gone."""
    libraries = engines["django"].engine.template_libraries
    tags = {name for library in libraries.values() for name in library.tags}
    assert not tags & {"targets_panel", "targets_board", "quality_steering_panel"}


def test_the_steering_page_shows_the_targets_over_time_and_the_quality_panel(team):
    today = timezone.localdate()
    params = {"start": str(today - timedelta(days=364)), "end": str(today), "group_by": "group"}
    response = team.client(team.analyst).get(reverse("evaluation:index"), params)
    board = response.context["targets"]
    assert len(board.slices) == 2
    assert _row(board, "sdq_coverage").light == Light.YELLOW
    assert response.context["quality"]["rows"][-1]["is_total"]
    html = response.content.decode()
    assert 'id="targets-trend-heading"' in html
    assert TOTAL == ""  # the municipality's key in the trend beside the groups' names
