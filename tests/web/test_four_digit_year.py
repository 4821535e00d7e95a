"""A year typed with two digits ("26" → 0026) is refused with a message saying what to type."""

from django.utils import translation

from trappen.cases.forms import EarlyStepForm
from trappen.evaluation.forms import SteeringForm


def test_a_two_digit_year_is_refused_in_a_case_form():
    with translation.override("da"):
        form = EarlyStepForm(data={"held_on": "0026-05-01"})
        assert not form.is_valid()
        assert form.errors["held_on"] == ["Skriv året med fire cifre."]


def test_a_four_digit_year_passes(db):
    form = EarlyStepForm(data={"held_on": "2024-05-01"})
    form.is_valid()
    assert "held_on" not in form.errors


def test_the_steering_period_names_the_year_not_the_period_length(db):
    with translation.override("da"):
        form = SteeringForm(data={"start": "0026-01-01", "end": "2026-06-30", "group_by": "group"})
        assert not form.is_valid()
        assert form.errors["start"][0] == "Skriv året med fire cifre."
        assert "__all__" not in form.errors
