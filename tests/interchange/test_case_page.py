"""An imported child has no name: the case page and the case list show "Barn <id>"."""

from django.urls import reverse

from trappen.cases.models import Case
from trappen.core.interchange import read_dataset
from trappen.interchange.services import import_dataset


def test_a_nameless_imported_child_renders_on_the_case_page_and_in_the_list(org, example):
    import_dataset(read_dataset(example))
    case = Case.objects.get(external_id="S-501")
    client = org.client(org.cw1)

    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert case.child.full_name.endswith("B-1001")
    assert f"<h1>{case.child.full_name} " in text
    assert "Almindelig plejefamilie" in text  # the imported measure on the timeline

    listing = client.get(reverse("cases:list")).content.decode()
    assert case.child.full_name in listing


def test_a_named_child_keeps_its_name(org):
    child = org.child()
    assert child.full_name == "Testa Barnesen"
    assert child.masked_cpr == "010115-xxxx"
