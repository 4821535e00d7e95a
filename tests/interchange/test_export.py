"""interchange.services.export_dataset: the database as a Dataset, and the round trip."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from trappen.cases.models import Complaint
from trappen.core.dataset import SCHEMA
from trappen.core.interchange import read_dataset, write_dataset
from trappen.demo import generator
from trappen.interchange.models import Installation
from trappen.interchange.services import export_dataset, import_dataset

from .conftest import EXAMPLE


def files_in(folder: Path) -> dict[str, bytes]:
    return {t: (folder / f"{t}.csv").read_bytes() for t in SCHEMA}


def test_exporting_what_was_imported_gives_the_files_back(org, example, tmp_path):
    import_dataset(read_dataset(example))
    write_dataset(export_dataset(), tmp_path / "out")
    for table, text in EXAMPLE.items():
        assert (tmp_path / "out" / f"{table}.csv").read_bytes() == text.replace(
            "\n", "\r\n"
        ).encode()


def test_rows_made_in_trappen_get_an_id_from_their_primary_key(org):
    case = org.case()
    Complaint.objects.create(child=case.child, team=org.north, received_on=case.opened_on)
    ds = export_dataset()
    token = Installation.current().token
    child_id = f"trappen-{token}-{case.child.pk}"
    assert ds.children["child_id"].to_list() == [child_id]
    assert ds.cases.row(0) == (
        f"trappen-{token}-{case.pk}",
        child_id,
        "Team Nord",
        case.opened_on,
        None,
        "anna",
    )
    assert ds.complaints["child_id"].to_list() == [child_id]
    assert export_dataset().children["child_id"].to_list() == [child_id]  # stable


def test_export_runs_a_fixed_number_of_queries(org, example, django_assert_max_num_queries):
    import_dataset(read_dataset(example))
    for _ in range(5):
        org.case(org.child(cpr=f"01011{_}1234"))
    with django_assert_max_num_queries(10):
        export_dataset()


def test_database_export_import_export_gives_the_same_files(db, tmp_path):
    call_command("demo", "--children", "40", "--yes", "--seed", "7", stdout=StringIO())
    first = export_dataset()
    assert first.complaints.height > 0 and first.followups.height > 0
    write_dataset(first, tmp_path / "first")

    generator.wipe()  # an empty database: the catalogue and the rules stay
    import_dataset(read_dataset(tmp_path / "first"))
    write_dataset(export_dataset(), tmp_path / "second")

    assert files_in(tmp_path / "second") == files_in(tmp_path / "first")
