"""F6 point 10: the documented size limits are enforced. A journal text or any other free text
of a case form is at most FREE_TEXT_MAX_LENGTH characters (docs/security.md), and a network
meeting takes at most 30 participants."""

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.forms import FREE_TEXT_MAX_LENGTH, CloseForm, EarlyStepForm, JournalForm
from trappen.cases.models import JournalEntry
from trappen.network.forms import InvitationForm, MinutesForm, participant_formset
from trappen.network.models import NetworkMeeting

TOO_LONG = "x" * (FREE_TEXT_MAX_LENGTH + 1)


def test_the_limit_is_generous_but_bounded():
    assert 10_000 <= FREE_TEXT_MAX_LENGTH <= 50_000


def test_journal_text_size_limit(org):
    case = org.case()
    client = org.client(org.cw1)
    url = reverse("cases:journal_add", args=[case.pk])
    response = client.post(
        url, {"heading": JournalEntry.Heading.NOTE, "text": TOO_LONG}, follow=True
    )
    assert not JournalEntry.objects.filter(case=case).exists()
    # The message says what the limit is (Django's own, in Danish: "højst 20000 tegn").
    shown = " ".join(str(m) for m in response.context["messages"])
    assert f"{FREE_TEXT_MAX_LENGTH} " in shown and f"{FREE_TEXT_MAX_LENGTH + 1})" in shown
    # At the limit it is saved.
    client.post(url, {"heading": JournalEntry.Heading.NOTE, "text": "y" * FREE_TEXT_MAX_LENGTH})
    assert JournalEntry.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (JournalForm, {"heading": JournalEntry.Heading.NOTE, "text": TOO_LONG}, "text"),
        (EarlyStepForm, {"kind": "network_meeting", "held_on": "2020-01-01",
                         "professions": ["caseworker"], "note": TOO_LONG}, "note"),
        (CloseForm, {"closed_on": "2020-01-01", "reason": "goals_met", "note": TOO_LONG}, "note"),
    ],
)  # fmt: skip
def test_case_free_text_size_limit(form_class, data, field):
    form = form_class(data)
    assert not form.is_valid()
    assert field in form.errors
    assert f'maxlength="{FREE_TEXT_MAX_LENGTH}"' in str(form[field])


def test_network_meeting_free_text_size_limit(org):
    form = InvitationForm({"concern": TOO_LONG, "purpose": TOO_LONG})
    assert not form.is_valid()
    assert {"concern", "purpose"} <= set(form.errors)
    minutes = MinutesForm({"concerns": TOO_LONG}, instance=NetworkMeeting())
    assert not minutes.is_valid()
    assert "concerns" in minutes.errors


def participants(n):
    data = {"p-TOTAL_FORMS": str(n), "p-INITIAL_FORMS": "0"}
    for i in range(n):
        data[f"p-{i}-role"] = "other"
        data[f"p-{i}-name"] = f"Deltager {i}"
    return data


def test_network_meeting_participants_limit(org):
    case = org.case()
    assert participant_formset(case, participants(30)).is_valid()
    formset = participant_formset(case, participants(300))
    assert not formset.is_valid()
    assert formset.non_form_errors()
    # The view refuses it and stores no meeting.
    data = {
        "kind": NetworkMeeting.Kind.choices[0][0],
        "starts_at": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        **participants(300),
    }
    org.client(org.cw1).post(reverse("network:meeting_add", args=[case.pk]), data)
    assert not NetworkMeeting.objects.exists()


# Forms whose free text is bounded elsewhere, with the reason.
EXEMPT = {
    "trappen.security.forms.LockoutAuthenticationForm": "the login: no case text",
    # The notification forms are being changed for the CPR lookup (F6 point 6): their
    # `content` and assessment `note` take BoundedText there.
    "trappen.intake.forms.NotificationForm": "pending (point 6)",
    "trappen.intake.forms.AssessmentForm": "pending (point 6)",
    "trappen.intake.forms.ConcernForm": "pending (point 6)",
}


def all_forms():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import trappen

    for info in pkgutil.iter_modules(trappen.__path__):
        if not info.ispkg:
            continue  # settings, wsgi, the command line: no forms
        try:
            module = importlib.import_module(f"trappen.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_free_text_of_a_form_is_bounded():
    """A form with a text field that has no max_length of its own mixes in BoundedText."""
    from django import forms

    from trappen.cases.forms import BoundedText

    unbounded = []
    for cls in all_forms():
        label = f"{cls.__module__}.{cls.__name__}"
        free = [
            name
            for name, f in getattr(cls, "base_fields", {}).items()
            if isinstance(f, forms.CharField) and f.max_length is None
        ]
        if free and not issubclass(cls, BoundedText) and label not in EXEMPT:
            unbounded.append(f"{label}: {', '.join(free)}")
    assert not unbounded, "mix in trappen.cases.forms.BoundedText:\n" + "\n".join(unbounded)
