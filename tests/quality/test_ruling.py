"""Ankestyrelsen's ruling on a complaint the municipality sent on (F8 point 8): recorded with its
date in Ankestyrelsen's terms, shown on the case page's complaint and counted in the quality
figures as Ankestyrelsen's omgørelsesprocent."""

from datetime import date, timedelta

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trappen.audit.models import AuditEntry
from trappen.cases import quality_rules, services
from trappen.cases.models import Complaint
from trappen.core.kpi import quality as kpi
from trappen.core.kpi.period import Period
from trappen.core.quality import complaint_problems
from trappen.steering_data import quality as steering_quality

TERMS = quality_rules.rulings()
SENT = "sent_to_ankestyrelsen"


def problems(**kw):
    base = {
        "kind": "decision", "decision": "Afslag på aflastning", "received_on": date(2025, 1, 6),
        "outcome": SENT, "outcome_on": date(2025, 1, 30), "today": date(2025, 6, 1),
        "outcomes": quality_rules.complaint_outcomes(), "rulings": TERMS["rulings"],
        "ruling_for_outcome": TERMS["for_outcome"],
    }  # fmt: skip
    return complaint_problems(**{**base, **kw})


def test_the_rulings_are_ankestyrelsens_terms_and_the_model_has_exactly_them():
    """Ankestyrelsen: "Hjemvisning ... Ændring/ophævelse ... Stadfæstelse ... Afvisning/
    henvisning"; "Realitetsbehandlede sager er hjemviste, ændrede/ophævede og stadfæstede
    sager": the model's choices are the rule data's, the overturned ones are among those
    reviewed on the merits, and a rejection is not reviewed."""
    assert [value for value, _label in Complaint.Ruling.choices] == TERMS["rulings"]
    assert set(TERMS["overturned"]) == {"aendret", "hjemvist"}
    assert set(TERMS["reviewed"]) == {"stadfaestet", "aendret", "hjemvist"}
    assert "afvist" not in TERMS["reviewed"]


def test_ankestyrelsen_rules_only_on_a_complaint_sent_on_after_it_was_sent():
    """A complaint about a decision the municipality upholds is sent on to Ankestyrelsen; only
    then can Ankestyrelsen rule, on a day after it was sent on and not after today."""
    assert problems(ruling="stadfaestet", ruling_on=date(2025, 3, 1)) == []
    assert "ruling_without_sending" in problems(
        outcome="upheld", ruling="stadfaestet", ruling_on=date(2025, 3, 1)
    )
    assert "ruling_before_outcome" in problems(ruling="hjemvist", ruling_on=date(2025, 1, 20))
    assert "ruling_in_future" in problems(ruling="hjemvist", ruling_on=date(2025, 7, 1))
    assert "ruling_date_missing" in problems(ruling="aendret")
    assert "ruling_date_without_ruling" in problems(ruling_on=date(2025, 3, 1))
    assert "ruling_unknown" in problems(ruling="godkendt", ruling_on=date(2025, 3, 1))


def frame(rows):
    return pl.DataFrame(
        rows,
        schema={"complaint_id": pl.String, "team": pl.String, "date": pl.Date,
                "kind": pl.String, "outcome": pl.String, "ruling": pl.String},
        orient="row",
    )  # fmt: skip


def test_the_overturned_share_is_ankestyrelsens_omgoerelsesprocent():
    """Ankestyrelsen: "Omgørelsesprocenten er antallet af hjemviste og ændrede sager set i
    forhold til alle realitetsbehandlede sager [...] Her tæller afviste/henviste sager altså
    ikke med. Eksempel: [...] 129 realitetsbehandlede sager [...] 19 er hjemvist, 5 er ændret,
    105 er stadfæstet. Omgørelsesprocenten er (19 + 5)/129 = 19 procent"."""
    counts = {"hjemvist": 19, "aendret": 5, "stadfaestet": 105, "afvist": 7}
    rows, n = [], 0
    for ruling, count in counts.items():
        for _ in range(count):
            n += 1
            rows.append((str(n), "Nord", date(2017, 5, 1), "decision", SENT, ruling))
    rows.append(("open", "Nord", date(2017, 5, 2), "decision", SENT, None))
    figures = kpi.complaint_figures(
        frame(rows), Period.year(2017), TERMS["reviewed"], TERMS["overturned"]
    )
    north = figures["Nord"]
    assert (north.reviewed, north.overturned) == (129, 24)
    assert round(north.overturned_share * 100) == 19
    assert north.by_ruling == {"afvist": 7, "aendret": 5, "hjemvist": 19, "stadfaestet": 105}
    assert figures[kpi.TOTAL].count == 137


@given(st.lists(st.sampled_from(["stadfaestet", "aendret", "hjemvist", "afvist", None])))
def test_the_overturned_are_never_more_than_those_reviewed(rulings):
    """The omgørelsesprocent lies between 0 and 1 and counts only the rulings on the merits."""
    rows = [(str(i), "Nord", date(2024, 2, 1), "decision", SENT, r) for i, r in enumerate(rulings)]
    f = kpi.complaint_figures(
        frame(rows), Period.year(2024), TERMS["reviewed"], TERMS["overturned"]
    ).get(kpi.TOTAL)
    assert f is not None
    assert f.overturned <= f.reviewed <= len(rulings)
    assert f.reviewed == sum(r in TERMS["reviewed"] for r in rulings)
    if f.overturned_share is not None:
        assert 0 <= f.overturned_share <= 1


@pytest.mark.django_db
def test_the_ruling_is_recorded_on_the_case_page_and_counted_in_the_figures(org):
    """The team records Ankestyrelsen's ruling (and its date) on a complaint it sent on; the
    case page shows it and the quality figures count it; the change is audited."""
    case = org.case()
    today = timezone.localdate()
    complaint = services.register_complaint(
        case, by=org.cw1, received_on=today - timedelta(days=40), kind="decision",
        decision="Afslag på aflastning", complainant="parent", outcome=SENT,
        outcome_on=today - timedelta(days=30), note="",
    )  # fmt: skip
    client = org.client(org.cw1)
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("cases:complaint_outcome", args=[complaint.pk]),
        {"outcome": SENT, "outcome_on": (today - timedelta(days=30)).isoformat(),
         "ruling": "hjemvist", "ruling_on": (today - timedelta(days=2)).isoformat(),
         "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.ruling, complaint.ruling_on) == ("hjemvist", today - timedelta(days=2))
    assert AuditEntry.objects.count() > before
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert complaint.get_ruling_display() in page
    period = Period(today - timedelta(days=100), today)
    total = steering_quality.figures(period).complaints[kpi.TOTAL]
    assert (total.reviewed, total.overturned, total.by_ruling) == (1, 1, {"hjemvist": 1})


@pytest.mark.django_db
def test_a_ruling_on_a_complaint_not_sent_on_is_refused(org):
    """Ankestyrelsen rules only on what the municipality sent on: a ruling on a complaint about
    the case handling is refused and nothing is stored."""
    case = org.case()
    today = timezone.localdate()
    complaint = services.register_complaint(
        case, by=org.cw1, received_on=today - timedelta(days=10), kind="handling",
        decision="", complainant="parent", outcome="upheld", outcome_on=today, note="",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_complaint_outcome(
            complaint, outcome="upheld", outcome_on=today, ruling="stadfaestet", ruling_on=today
        )
    complaint.refresh_from_db()
    assert complaint.ruling == ""
