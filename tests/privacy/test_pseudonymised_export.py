"""`trappen export DIR --pseudonymise`: consistent pseudonyms, coarse birth dates, the same
figures from `trappen evaluate` as the plain export."""

import csv
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.evaluation.conftest import FILES
from trappen.cases.models import JournalEntry
from trappen.core.dataset import SCHEMA
from trappen.core.interchange import file_name
from trappen.core.pseudonym import PATTERN, pseudonym
from trappen.interchange.services import export_dataset
from trappen.privacy.pseudonyms import installation_secret

PERIODS = ["--from", "2015-01-01", "--to", "2015-12-31"]
COMPARE = ["--compare-from", "2013-01-01", "--compare-to", "2013-12-31"]


def run(*args: object) -> str:
    out = StringIO()
    call_command(*[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / file_name(table)).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def imported(org, tmp_path):
    """The evaluation fixture imported, plus one child made in trappen with name, CPR and a
    journal entry (the things a pseudonymised export must not carry)."""
    source = tmp_path / "source"
    source.mkdir()
    for name, text in FILES.items():
        (source / name).write_text(text, encoding="utf-8")
    run("import", source)
    case = org.case(org.child("0101151234"))
    case.closure_note = "Mor ringede om skolen"
    case.save()
    JournalEntry.objects.create(case=case, author=org.cw1, heading="note", text="Far drikker")
    return org


@pytest.fixture
def exports(imported, tmp_path):
    plain, pseudo = tmp_path / "plain", tmp_path / "pseudo"
    run("export", plain)
    run("export", pseudo, "--pseudonymise")
    return plain, pseudo


def test_every_id_is_a_pseudonym_and_references_stay_consistent(exports):
    plain, pseudo = exports
    secret = installation_secret()
    for table in ("children", "cases", "episodes", "followups", "complaints"):
        before, after = rows(plain, table), rows(pseudo, table)
        assert len(before) == len(after) > 0
        id_column = SCHEMA[table][0].name
        for b, a in zip(before, after, strict=True):
            assert re.fullmatch(PATTERN, a[id_column])
            assert a[id_column] == pseudonym(secret, id_column.removesuffix("_id"), b[id_column])
            if "child_id" in a and table != "children":
                assert a["child_id"] == pseudonym(secret, "child", b["child_id"])
    children = {r["child_id"] for r in rows(pseudo, "children")}
    episodes = {r["episode_id"] for r in rows(pseudo, "episodes")}
    for table in ("cases", "episodes", "followups", "complaints"):
        assert {r["child_id"] for r in rows(pseudo, table)} <= children
    assert {r["episode_id"] for r in rows(pseudo, "followups")} <= episodes
    # The caseworkers' user names are pseudonyms too.
    assert {r["caseworker"] for r in rows(pseudo, "cases")} == {
        pseudonym(secret, "caseworker", name) for name in ("cw-a", "cw-b", "anna")
    }


def test_birth_dates_are_coarsened_to_the_month(exports):
    plain, pseudo = exports
    for b, a in zip(rows(plain, "children"), rows(pseudo, "children"), strict=True):
        born = date.fromisoformat(b["birth_date"])
        assert date.fromisoformat(a["birth_date"]) == born.replace(day=1)
        assert (a["sex"], a["district"]) == (b["sex"], b["district"])


def test_no_names_cpr_or_free_text_in_either_export(exports, imported):
    secret_words = ["0101151234", "010115-1234", "Testa", "Barnesen", "Mor ringede", "Far drikker"]
    for folder in exports:
        text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.csv"))
        for word in secret_words:
            assert word not in text
    # The plain ids do not survive in the pseudonymised files.
    pseudo_text = "".join(p.read_text(encoding="utf-8") for p in exports[1].glob("*.csv"))
    for plain_id in ("c1", "k1", "e1", "f1", "q1", "cw-a", "trappen-"):
        assert not re.search(rf"(^|,){re.escape(plain_id)}", pseudo_text, re.M)


def test_the_same_installation_gives_the_same_pseudonyms(exports, tmp_path):
    again = tmp_path / "again"
    run("export", again, "--pseudonymise")
    for table in SCHEMA:
        assert rows(again, table) == rows(exports[1], table)


def test_another_secret_gives_unrelated_pseudonyms(imported):
    ours = export_dataset(pseudonymise=True).children["child_id"].to_list()
    with override_settings(PSEUDONYM_SECRET="another municipality's secret"):
        theirs = export_dataset(pseudonymise=True).children["child_id"].to_list()
    assert len(ours) == len(theirs) and not set(ours) & set(theirs)


@pytest.mark.parametrize("grouping", [["--group-by", "group"], ["--group-by", "team"]])
def test_evaluate_gives_the_same_figures_on_both(exports, grouping):
    plain, pseudo = exports
    args = [*PERIODS, *COMPARE, *grouping, "--json"]
    a = json.loads(run("evaluate", plain, *args))
    b = json.loads(run("evaluate", pseudo, *args))
    # The caseload is keyed by caseworker: the same counts under the caseworkers' pseudonyms.
    secret = installation_secret()
    text = json.dumps(a, sort_keys=True)
    for name in ("cw-a", "cw-b", "anna"):
        text = text.replace(f'"{name}"', f'"{pseudonym(secret, "caseworker", name)}"')
    assert json.loads(text) == b
    assert a != {} and "caseload" in json.dumps(a)
