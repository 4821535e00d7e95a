"""Goal attainment and the child's own rating in the steering (F9 point 5): the ratings recorded
at the follow-ups reach the steering's Dataset and are shown per group and half-year on the
steering page, in the workbook, the printable report and `trappen evaluate db`."""

import json
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from trappen.followups import services as followups
from trappen.measures.models import Episode
from trappen.plans import services as plans
from trappen.steering_data.database import dataset_from_database

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}
TITLE = "Goal attainment and the child's own rating, per group and half-year"


def goal(text, **extra):
    return {"goal": text, "who": "Mor", "progress_sign": "Fremmøde",
            "due_on": date.today() + timedelta(days=90), **extra}  # fmt: skip


@pytest.fixture
def rated(placed):
    """The Pilot child's plan has two goals, rated at two follow-ups in the first half of
    2015 (−1 and +1, then 0 and +2; the child's own 4, then 8) and one in the second (the
    first goal carried into a new revision, rated −2; no rating of the child's)."""
    episode = Episode.objects.get(child__district=placed.d_north)
    worker = episode.case.caseworker
    plans.revise(episode.case, purpose="Trivsel",
                 goals=[goal("Går i skole"), goal("Har en ven")], by=worker)  # fmt: skip
    first, second = episode.case.action_plan.current().goals.all()
    args = dict(form="meeting", child_conversation=True, conversation_note="Godt",
                plan_review="kept", next_agreed_on=None, note="", by=worker)  # fmt: skip
    followups.record(episode, held_on=date(2015, 2, 1), child_rating=4,
                     goal_ratings={first.pk: -1, second.pk: 1}, **args)  # fmt: skip
    followups.record(episode, held_on=date(2015, 5, 1), child_rating=8,
                     goal_ratings={first.pk: 0, second.pk: 2}, **args)  # fmt: skip
    plans.revise(episode.case, purpose="Trivsel",
                 goals=[goal("Går i skole hver dag", carried=first.pk)], by=worker)  # fmt: skip
    carried = episode.case.action_plan.current().goals.get()
    followups.record(episode, held_on=date(2015, 9, 1), goal_ratings={carried.pk: -2}, **args)
    return placed, first


def test_the_ratings_reach_the_steerings_dataset(rated):
    _org, first = rated
    ds = dataset_from_database()
    assert ds.goal_ratings.height == 5
    assert ds.goal_ratings.get_column("goal").n_unique() == 2  # the carried goal keeps its line
    assert sorted(ds.goal_ratings.get_column("rating").to_list()) == [-2, -1, 0, 1, 2]
    assert sorted(ds.child_ratings.get_column("rating").to_list()) == [4, 8]
    followup_ids = set(ds.followups.get_column("followup_id").to_list())
    assert set(ds.goal_ratings.get_column("followup_id").to_list()) <= followup_ids


def test_the_steering_page_and_report_show_goal_attainment_per_half_year(rated):
    org, _first = rated
    client = org.client(org.analyst)
    for view in ("evaluation:index", "evaluation:report"):
        html = client.get(reverse(view), YEAR).content.decode()
        assert escape(_(TITLE)) in html, view
        assert "Pilot · 2015 H1" in html and "Pilot · 2015 H2" in html
        # H1: four ratings of two goals, mean 0,50 (Danish format), 75 % at 0 or above; the
        # child's own 4 and 8: mean 6,00. H2: one rating, −2.
        assert "0,50" in html and "75,0 %" in html and "6,00" in html and "-2,00" in html


def test_the_workbook_has_the_goal_sheet(rated):
    org, _first = rated
    response = org.client(org.analyst).get(reverse("evaluation:workbook"), YEAR)
    book = load_workbook(BytesIO(response.content))
    assert _("Goals") in book.sheetnames
    values = [c for row in book[_("Goals")].iter_rows(values_only=True) for c in row]
    assert "Pilot · 2015 H1" in values and 0.75 in values


def test_trappen_evaluate_db_prints_it_as_text_and_json(rated):
    out = StringIO()
    call_command("evaluate", "db", "--from", "2015-01-01", "--to", "2015-12-31", stdout=out)
    assert _(TITLE) in out.getvalue() and "Pilot · 2015 H2" in out.getvalue()
    out = StringIO()
    call_command("evaluate", "db", "--from", "2015-01-01", "--to", "2015-12-31", "--json",
                 stdout=out)  # fmt: skip
    rows = json.loads(out.getvalue())["wellbeing"]["goal_attainment"]
    h1, h2 = rows
    assert (h1["group"], h1["half_year"], h1["ratings"], h1["goals"]) == ("Pilot", "2015 H1", 4, 2)
    assert h1["mean"] == pytest.approx(0.5) and h1["share_expected"] == pytest.approx(0.75)
    assert (h1["child_n"], h1["child_mean"]) == (2, pytest.approx(6.0))
    assert (h2["half_year"], h2["ratings"], h2["mean"], h2["child_n"]) == ("2015 H2", 1, -2, 0)
