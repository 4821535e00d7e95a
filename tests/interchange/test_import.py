"""interchange.services.import_dataset: the mapping to the models, and all or nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from trappen.cases.models import Case, Child, Complaint
from trappen.catalogue.models import CadenceCategory, Intervention, LegalConcept
from trappen.core.interchange import InterchangeError, Problem, read_dataset
from trappen.followups.models import FollowUp
from trappen.interchange.importing import writes
from trappen.interchange.models import Installation
from trappen.interchange.services import IMPORT_USERNAME, import_dataset
from trappen.measures.models import Episode
from trappen.organisation.models import (
    District,
    DistrictGroup,
    Municipality,
    Profession,
    Team,
    User,
)
from trappen.rules.models import legal_basis_for

from .conftest import EXAMPLE, changed, write_folder

COUNTED: list[type[Model]] = [
    Municipality,
    DistrictGroup,
    Team,
    District,
    User,
    Intervention,
    Child,
    Case,
    Episode,
    FollowUp,
    Complaint,
]


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in COUNTED}


def load(tmp_path: Path, files: dict[str, str | bytes | None] | None = None) -> object:
    return read_dataset(write_folder(tmp_path / "data", files or dict(EXAMPLE)))


def import_problems(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[Problem]:
    ds = load(tmp_path, files)
    before = counts()
    with pytest.raises(InterchangeError) as caught:
        import_dataset(ds)
    assert counts() == before  # nothing stored
    return caught.value.problems


# --- The mapping --------------------------------------------------------------------------


def test_children_come_without_cpr_or_names_and_keep_their_ids(org, tmp_path):
    summary = import_dataset(load(tmp_path))
    child = Child.objects.get(external_id="B-1001")
    assert (child.cpr, child.first_name, child.last_name) == (None, "", "")
    assert (child.birth_date, child.sex, child.district) == (
        date(2012, 4, 17),
        "female",
        org.d_north,
    )
    assert str(child) == gettext("Child %(id)s") % {"id": "B-1001"}  # "Barn B-1001"
    assert child.masked_cpr == ""
    assert summary.rows == {
        "districts": 2,
        "children": 2,
        "cases": 2,
        "episodes": 3,
        "followups": 2,
        "complaints": 1,
        "sdq": 3,
    }


def test_the_existing_organisation_is_used_by_name(org, tmp_path):
    before = counts()
    summary = import_dataset(load(tmp_path))
    assert (summary.new_teams, summary.new_districts, summary.new_groups) == ([], [], [])
    after = counts()
    assert after["Team"] == before["Team"] and after["District"] == before["District"]
    assert Case.objects.get(external_id="S-502").team == org.south


def test_case_status_caseworker_and_closure(org, tmp_path):
    summary = import_dataset(load(tmp_path))
    open_case = Case.objects.get(external_id="S-501")
    assert open_case.status == Case.Status.MEASURES
    assert open_case.caseworker == org.cw1  # the username in the file
    assert open_case.opened_on == date(2021, 3, 1) and open_case.closed_on is None
    closed = Case.objects.get(external_id="S-502")
    assert closed.status == Case.Status.CLOSED
    assert closed.closure_reason == Case.ClosureReason.OTHER
    assert closed.caseworker.username == IMPORT_USERNAME  # the cell is empty
    assert not closed.caseworker.is_active
    assert not closed.caseworker.has_usable_password()
    assert summary.new_users == [IMPORT_USERNAME]


def test_a_case_without_episodes_is_under_clarification(org, tmp_path):
    files = {**EXAMPLE, "episodes": EXAMPLE["episodes"].split("\n", 1)[0] + "\n", "followups": None}
    import_dataset(load(tmp_path, files))
    assert Case.objects.get(external_id="S-501").status == Case.Status.CLARIFICATION


def test_an_unknown_caseworker_becomes_an_inactive_user(org, tmp_path):
    summary = import_dataset(
        load(tmp_path, changed("cases", "2021-03-01,,anna", "2021-03-01,,jens"))
    )
    jens = User.objects.get(username="jens")
    assert (jens.is_active, jens.profession, jens.team) == (False, Profession.CASEWORKER, org.north)
    assert not jens.has_usable_password()
    assert Case.objects.get(external_id="S-501").caseworker == jens
    assert sorted(summary.new_users) == sorted(["jens", IMPORT_USERNAME])


def test_an_inactive_user_with_the_username_is_used(org, tmp_path):
    org.cw1.is_active = False
    org.cw1.save()
    import_dataset(load(tmp_path))
    assert Case.objects.get(external_id="S-501").caseworker == org.cw1


def test_episodes_get_their_case_intervention_and_legal_basis(org, tmp_path):
    import_dataset(load(tmp_path))
    foster = Episode.objects.get(external_id="F-9002")
    assert foster.case.external_id == "S-501"
    assert foster.child.external_id == "B-1001"
    assert foster.intervention.name == "Almindelig plejefamilie"
    assert foster.daily_cost == Decimal("1450.50")
    assert (foster.end_on, foster.end_reason) == (None, "")
    assert foster.created_by.username == IMPORT_USERNAME
    assert foster.legal_basis == legal_basis_for(LegalConcept.PLACEMENT, date(2022, 1, 1))
    assert foster.legal_basis is not None
    institution = Episode.objects.get(external_id="F-9003")
    assert institution.case.external_id == "S-502"
    assert (institution.end_on, institution.end_reason) == (date(2021, 8, 15), "breakdown")
    assert institution.planned_discharge_on is None  # no exit-plan rule for history
    assert not institution.movements.exists()  # nor movements


def test_an_unknown_intervention_is_added_to_the_catalogue(org, tmp_path):
    summary = import_dataset(load(tmp_path))
    new = Intervention.objects.get(name="Familiebehandling")
    assert (new.step_id, new.placement_type) == (2, "")
    assert (new.legal_concept, new.cadence_category) == (
        LegalConcept.SUPPORTING_MEASURE,
        CadenceCategory.PREVENTIVE,
    )
    assert new.source == f"import {timezone.localdate().isoformat()}"
    assert summary.new_interventions == ["Familiebehandling"]
    episode = Episode.objects.get(external_id="F-9001")
    assert episode.intervention == new
    assert episode.legal_basis == legal_basis_for(LegalConcept.SUPPORTING_MEASURE, date(2021, 5, 1))


def test_interventions_match_the_catalogue_whatever_the_case(org, tmp_path):
    files = changed("episodes", "Almindelig plejefamilie", "ALMINDELIG PLEJEFAMILIE")
    summary = import_dataset(load(tmp_path, files))
    assert summary.new_interventions == ["Familiebehandling"]
    assert Episode.objects.get(external_id="F-9002").intervention.name == "Almindelig plejefamilie"


def test_follow_ups_and_complaints(org, tmp_path):
    import_dataset(load(tmp_path))
    followup = FollowUp.objects.get(external_id="O-1")
    assert followup.episode.external_id == "F-9002"
    assert followup.case.external_id == "S-501"
    assert (followup.held_on, followup.form, followup.child_conversation) == (
        date(2022, 3, 15),
        FollowUp.Form.MEETING,
        True,
    )
    assert followup.recorded_by.username == IMPORT_USERNAME
    assert not FollowUp.objects.get(external_id="O-2").child_conversation
    complaint = Complaint.objects.get(external_id="K-1")
    assert (complaint.team, complaint.received_on) == (org.south, date(2020, 2, 11))
    assert complaint.case == Case.objects.get(external_id="S-502")


def test_a_complaint_on_a_day_without_an_open_case_has_no_case(org, tmp_path):
    import_dataset(load(tmp_path, changed("complaints", "2020-02-11", "2023-05-01")))
    assert Complaint.objects.get().case is None


def test_into_an_empty_database_the_organisation_is_created(db, tmp_path):
    summary = import_dataset(load(tmp_path))
    assert summary.new_municipality == "Kommune"
    assert Municipality.objects.get().name == "Kommune"
    assert sorted(summary.new_teams) == ["Team Nord", "Team Syd"]
    assert sorted(summary.new_groups) == ["Pilot", "Øvrige"]
    nordby = District.objects.get(name="Nordby")
    assert (nordby.team.name, nordby.group.name) == ("Team Nord", "Pilot")
    anna = User.objects.get(username="anna")
    assert not anna.is_active and anna.profession == Profession.CASEWORKER


def test_a_new_district_without_a_team_gets_the_team_of_most_of_its_cases(db, tmp_path):
    files = {
        **EXAMPLE,
        "districts": "district,group\nNordby,Pilot\nSydby,Øvrige\n",
        "cases": EXAMPLE["cases"].replace("S-502,B-1002,Team Syd", "S-502,B-1002,Team Vest"),
    }
    summary = import_dataset(load(tmp_path, files))
    assert District.objects.get(name="Sydby").team.name == "Team Vest"
    assert District.objects.get(name="Nordby").team.name == "Team Nord"
    assert "Team Vest" in summary.new_teams


def test_many_rows_are_imported_in_batches_with_progress(db, tmp_path, monkeypatch):
    monkeypatch.setattr(writes, "BATCH", 3)
    rows = "".join(f"C{i},2010-01-01,male,Nordby\n" for i in range(70))
    files = {**EXAMPLE, "children": EXAMPLE["children"] + rows}
    lines: list[str] = []
    import_dataset(load(tmp_path, files), log=lines.append)
    assert Child.objects.count() == 72
    assert any(line.strip().startswith("children: 30 of 72") for line in lines)


# --- What only the database can tell: nothing is stored --------------------------------------


def test_rows_already_imported_are_refused(org, tmp_path):
    import_dataset(load(tmp_path))
    problems = import_problems(tmp_path / "again", dict(EXAMPLE))
    assert (
        Problem(
            "children.csv",
            2,
            "child_id",
            "'B-1001' is already imported: a child with this id is in the database",
        )
        in problems
    )
    assert {p.file for p in problems} == {
        "children.csv",
        "cases.csv",
        "episodes.csv",
        "followups.csv",
        "complaints.csv",
        "sdq.csv",
    }


def test_ids_this_database_exported_for_its_own_rows_are_refused(org, tmp_path):
    own = f"trappen-{Installation.current().token}-7"
    problems = import_problems(tmp_path, changed("complaints", "K-1,", f"{own},"))
    assert problems == [
        Problem(
            "complaints.csv",
            2,
            "complaint_id",
            f"'{own}' is an id this database gave one of its own rows in an export: "
            "that row is here already",
        )
    ]


def test_overlapping_cases_of_one_child(org, tmp_path):
    files = changed("cases", "S-502,", "S-503,B-1001,Team Nord,2020-01-01,2021-03-02,\nS-502,")
    [problem] = import_problems(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 2, "opened")
    assert "'S-503' is still open on 2021-03-01" in problem.message


def test_two_open_cases_of_one_child(org, tmp_path):
    files = changed("cases", "S-502,", "S-503,B-1001,Team Nord,2023-01-01,,\nS-502,")
    [problem] = import_problems(tmp_path, files)
    assert (problem.row, problem.column) == (3, "opened")
    assert "'S-501' is still open on 2023-01-01" in problem.message


def test_an_episode_with_no_case_open_on_its_start_date(org, tmp_path):
    files = changed("episodes", "2019-09-01,2021-08-15", "2019-05-01,2021-08-15")
    [problem] = import_problems(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("episodes.csv", 4, "start_date")
    assert "no case of the child 'B-1002' is open on 2019-05-01" in problem.message


def test_an_episode_starting_the_day_its_case_closes_has_no_case(org, tmp_path):
    files = changed(
        "episodes", "2019-09-01,2021-08-15,breakdown", "2022-01-31,2022-02-15,breakdown"
    )
    [problem] = import_problems(tmp_path, files)
    assert (problem.row, problem.column) == (4, "start_date")


def test_more_than_one_municipality(org, tmp_path):
    Municipality.objects.create(name="Nabokommune")
    problems = import_problems(tmp_path, dict(EXAMPLE))
    assert [p.message for p in problems] == [
        "the database holds more than one municipality: an import needs exactly one"
    ]


def test_an_intervention_in_the_catalogue_on_another_step(org, tmp_path):
    files = changed(
        "episodes",
        "F-9003,B-1002,5,residential_institution,Døgninstitution",
        "F-9003,B-1002,4,foster_special,Døgninstitution",
    )
    problems = import_problems(tmp_path, files)
    assert [(p.row, p.column) for p in problems] == [(4, "step"), (4, "placement_type")]
    assert "the catalogue has 'Døgninstitution' on step 5, not 4" in problems[0].message


def test_one_new_intervention_with_two_steps(org, tmp_path):
    files = changed(
        "episodes",
        "F-9003,B-1002,5,residential_institution,Døgninstitution",
        "F-9003,B-1002,1,,familiebehandling",
    )
    [problem] = import_problems(tmp_path, files)
    assert (problem.row, problem.column) == (4, "intervention")
    assert "on line 2" in problem.message


def test_a_district_in_another_group_than_in_the_database(org, tmp_path):
    files = changed("districts", "Nordby,Pilot", "Nordby,Øvrige")
    [problem] = import_problems(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("districts.csv", 2, "group")


def test_a_new_district_with_no_team_to_be_found(org, tmp_path):
    files = {**EXAMPLE, "districts": EXAMPLE["districts"] + "Østby,Pilot,\n"}
    [problem] = import_problems(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("districts.csv", 4, "team")
    assert "needs a team" in problem.message


def test_a_failure_while_storing_rolls_back_everything(db, tmp_path, monkeypatch):
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Complaint.objects, "bulk_create", fail)
    before = counts()
    with pytest.raises(RuntimeError):
        import_dataset(load(tmp_path))
    assert counts() == before
