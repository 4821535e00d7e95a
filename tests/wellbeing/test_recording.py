"""Recording a child's SDQ in the web app: item by item, all or nothing, on the case page."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from trappen.audit.models import AuditAction, AuditEntry
from trappen.organisation.models import Profession
from trappen.wellbeing import services, texts
from trappen.wellbeing.forms import SdqForm
from trappen.wellbeing.models import SdqMeasurement

# Emotional 1+1+0+1+0 = 3, conduct 1+(2−1)+1+1+1 = 5, hyperactivity 2+1+1+(2−1)+(2−1) = 6,
# peer 0+(2−2)+(2−2)+0+0 = 0 → total 14; prosocial 1+1+2+1+1 = 6.
ANSWERS = [1, 2, 1, 1, 1, 0, 1, 1, 2, 1, 2, 1, 0, 2, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1]


def post_data(answers=ANSWERS, **extra):
    data = {
        "informant": "parent",
        "measured_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "respondent": "Mor",
    }
    data.update({f"item_{n}": "" if a is None else str(a) for n, a in enumerate(answers, 1)})
    data.update(extra)
    return data


@pytest.fixture
def case(org):
    return org.case(org.child("0101154234"))  # born 1 January 2015 (century digit 4)


def test_the_form_shows_item_numbers_and_no_item_texts(org, case):
    page = org.client(org.cw1).get(f"/cases/{case.pk}/sdq/new/").content.decode()
    assert 'name="item_25"' in page and 'name="item_26"' not in page
    form = SdqForm()
    assert form.fields["item_7"].label.endswith("(R)")  # a reversed item, marked
    label = str(form.fields["item_1"].label)
    assert " 1 · " in label and "prosocial" in label  # the number and the subscale


def test_a_questionnaire_is_stored_with_its_scores_and_shown_on_the_case_page(org, case):
    client = org.client(org.cw1)
    response = client.post(f"/cases/{case.pk}/sdq/new/", post_data(impact_difficulties="0"))
    assert response.status_code == 302
    m = SdqMeasurement.objects.get()
    assert (m.child, m.case, m.informant, m.respondent) == (case.child, case, "parent", "Mor")
    assert (m.emotional, m.conduct, m.hyperactivity, m.peer) == (3, 5, 6, 0)
    assert (m.total_difficulties, m.prosocial, m.impact) == (14, 6, 0)
    assert m.recorded_by == org.cw1
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="sdq"' in page
    assert 'class="band b1"' in page  # total 14 is "slightly raised" for a parent (14-16)
    created = AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="wellbeing.sdqmeasurement"
    )
    assert created.filter(child_pk=case.child.pk).count() == 1


def test_two_measurements_draw_a_progression_chart(org, case):
    for days in (400, 10):
        services.record(
            case, informant="parent", measured_on=timezone.localdate() - timedelta(days=days),
            answers=ANSWERS, by=org.cw1,
        )  # fmt: skip
    page = org.client(org.cw1).get(f"/cases/{case.pk}/").content.decode()
    assert '<svg class="sdq-chart"' in page and "<polyline" in page


def test_an_answer_outside_0_2_stores_nothing_and_keeps_what_was_typed(org, case):
    response = org.client(org.cw1).post(f"/cases/{case.pk}/sdq/new/", post_data(item_5="3"))
    assert response.status_code == 200
    assert not SdqMeasurement.objects.exists()
    page = response.content.decode()
    assert 'class="sdq-item invalid"' in page
    assert 'name="item_2" value="2"' in page and "checked" in page  # the other answers stay


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"informant": "mother"}, "informant"),
        ({"measured_on": "2014-12-31"}, "measured_on"),  # before birth
        ({"measured_on": (date.today() + timedelta(days=2)).isoformat()}, "measured_on"),
    ],
)
def test_unknown_informant_and_impossible_dates_are_refused(org, case, change, field):
    response = org.client(org.cw1).post(f"/cases/{case.pk}/sdq/new/", post_data(**change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SdqMeasurement.objects.exists()


def test_a_self_report_is_only_for_11_to_17(org):
    young = org.case(org.child("0101204234"))  # 6 years old
    response = org.client(org.cw1).post(f"/cases/{young.pk}/sdq/new/", post_data(informant="self"))
    errors = response.context["form"].errors["measured_on"]
    assert any("11-17" in e for e in errors)
    assert not SdqMeasurement.objects.exists()
    old_enough = org.case(org.child("0101144234"))  # 12
    services.record(
        old_enough, informant="self", measured_on=timezone.localdate(), answers=ANSWERS, by=org.cw1
    )
    assert SdqMeasurement.objects.get().informant == "self"


def test_the_service_refuses_a_wrong_number_of_items_and_answers_out_of_range(org, case):
    day = timezone.localdate()
    with pytest.raises(ValidationError, match="25"):
        services.record(case, informant="parent", measured_on=day, answers=ANSWERS[:24], by=org.cw1)
    with pytest.raises(ValidationError) as bad:
        services.record(
            case, informant="teacher", measured_on=day, answers=[True, *ANSWERS[1:]], by=org.cw1
        )
    assert "item_1" in bad.value.message_dict
    with pytest.raises(ValidationError) as impact:
        services.record(
            case, informant="teacher", measured_on=day, answers=ANSWERS, by=org.cw1,
            impact={"home": 2},
        )  # fmt: skip
    assert "impact_home" in impact.value.message_dict  # a teacher is not asked about home
    assert not SdqMeasurement.objects.exists()


def test_one_sdq_per_informant_and_day(org, case):
    day = timezone.localdate()
    services.record(case, informant="parent", measured_on=day, answers=ANSWERS, by=org.cw1)
    with pytest.raises(ValidationError):
        services.record(case, informant="parent", measured_on=day, answers=ANSWERS, by=org.cw1)
    services.record(case, informant="teacher", measured_on=day, answers=ANSWERS, by=org.cw1)
    assert SdqMeasurement.objects.count() == 2


def test_who_may_record_is_who_reads_the_case_by_right(org, case):
    other = org.user("olga", Profession.CASEWORKER, org.south)
    assert org.client(other).get(f"/cases/{case.pk}/sdq/new/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.record(
            case, informant="parent", measured_on=timezone.localdate(), answers=ANSWERS, by=other
        )
    case.status, case.closed_on = case.Status.CLOSED, timezone.localdate()
    case.save()
    assert org.client(org.cw1).get(f"/cases/{case.pk}/sdq/new/").status_code == 403


def test_licensed_texts_are_loaded_from_the_configured_file(org, settings, tmp_path):
    path = tmp_path / "sdq-da.json"
    items = {str(n): f"Dummy tekst {n}" for n in range(1, 26)}
    path.write_text(json.dumps({"source": "test", "licence": "test", "items": items}), "utf-8")
    settings.TRAPPEN_SDQ_ITEM_TEXTS = str(path)
    assert SdqForm().fields["item_3"].label == "3. Dummy tekst 3"
    del items["25"]
    path.write_text(json.dumps({"items": items}), "utf-8")
    with pytest.raises(texts.ItemTextsError, match="no text for item"):
        texts.load(path)
    items["25"] = ""
    path.write_text(json.dumps({"items": items}), "utf-8")
    with pytest.raises(texts.ItemTextsError, match="item 25"):
        texts.load(path)
    settings.TRAPPEN_SDQ_ITEM_TEXTS = str(tmp_path / "missing.json")
    assert " 3 · " in SdqForm().fields["item_3"].label  # the neutral label, as without a file
