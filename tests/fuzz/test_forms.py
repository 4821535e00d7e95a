"""(a) Every form of the project, bound to hostile data: it never raises, a refusal says why,
and the re-rendered form escapes what was typed."""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

import trappen
from trappen.activities.models import Activity
from trappen.cases.models import Case
from trappen.core import ics
from trappen.evaluation.forms import SteeringForm
from trappen.meetings.models import School
from trappen.network.models import Slot
from trappen.organisation.models import District, User

from .strategies import FUZZ, SCRIPT, hostile_value


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.iter_modules(trappen.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"trappen.{module.name}.forms")
            except ModuleNotFoundError as error:
                if error.name != f"trappen.{module.name}.forms":
                    raise
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("trappen."):
                found.append(sub)
    return sorted(set(found), key=lambda f: f"{f.__module__}.{f.__qualname__}")


FORMS = _all_forms()


def test_every_form_of_the_project_is_fuzzed():
    # The forms the views post; a new form is fuzzed automatically (this guards the discovery).
    names = {f.__name__ for f in FORMS}
    assert {"NotificationForm", "JournalForm", "EpisodeForm", "FollowUpForm", "GoalForm"} <= names
    assert len(FORMS) >= 20


def _field_data(fields: dict[str, forms.Field]) -> st.SearchStrategy[dict[str, object]]:
    values: dict[str, st.SearchStrategy[object]] = {}
    for name, field in fields.items():
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values[name] = st.lists(hostile_value, max_size=3)
        else:
            values[name] = hostile_value
    return st.fixed_dictionaries({}, optional=values)


def _school(org) -> Any:  # type: ignore[no-untyped-def]
    return School.objects.create(name="Nordby Skole", district=org.d_north)


def _agenda(org) -> list[Any]:  # type: ignore[no-untyped-def]
    # MinutesForm reads only these attributes of the agenda entries it is given.
    return [
        SimpleNamespace(
            item=SimpleNamespace(pk=pk, title=f"Punkt {pk}", decision=""),
            named=False,
            child_name="",
        )
        for pk in (1, 2)
    ]


# The arguments a view passes to the forms that need them, built from the test municipality.
CONSTRUCTORS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "SeriesForm": lambda org: {"team_id": _school(org).district.team_id},
    "MeetingForm": lambda org: {"chairs": User.objects.filter(team=org.north)},
    "ItemForm": lambda org: {"cases": Case.objects.filter(pk=org.case().pk)},
    "ParticipantForm": lambda org: {"users": User.objects.all()},
    "MinutesForm": lambda org: {"items": _agenda(org)},
    "SubmissionForm": lambda org: {"schools": School.objects.filter(pk=_school(org).pk)},
    "ActivityForm": lambda org: {"kinds": list(Activity.Kind.values)},
    "CoordinatorForm": lambda org: {"people": User.objects.filter(team=org.north)},
    "AreasForm": lambda org: {
        "framework": ics.catalogue().frameworks[0],
        "levels": ics.catalogue().levels,
    },
    "BeforeCaseForm": lambda org: {
        "districts": District.objects.all(),
        "slots": Slot.objects.filter(district=org.d_north),
    },
    "SlotsForm": lambda org: {"districts": District.objects.all()},
    "HandoverForm": lambda org: {
        "cases": Case.objects.filter(pk=org.case().pk),
        "caseworkers": org.north.caseworkers(),
    },
}


def _required_arguments(form_class: type[forms.BaseForm]) -> list[str]:
    params = inspect.signature(form_class.__init__).parameters.values()
    return [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]


def test_every_form_needing_arguments_can_be_built():
    needing = {f.__name__ for f in FORMS if _required_arguments(f)}
    assert needing == set(CONSTRUCTORS), "add the new form to CONSTRUCTORS"


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_a_form_bound_to_hostile_data_refuses_with_messages_and_escapes_it(org, form_class):
    kwargs = CONSTRUCTORS[form_class.__name__](org) if _required_arguments(form_class) else {}
    # Fields added in __init__ (MinutesForm's decisions) are fuzzed too.
    fields = form_class(**kwargs).fields

    @FUZZ
    @given(data=_field_data(fields))
    def check(data: dict[str, object]) -> None:
        form = form_class(data=data, **kwargs)
        if not form.is_valid():
            assert form.errors
            for field, messages in form.errors.items():
                assert field == "__all__" or field in form.fields
                assert messages and all(str(m).strip() for m in messages)
        html = form.as_div()
        assert SCRIPT not in html

    check()


def test_the_steering_period_is_refused_outside_the_years_it_can_compute(org):
    # 9999-12-31 was a server error: the period's stop is the day after its end.
    edges = {"start": "1899-12-31", "end": "9999-12-31", "group_by": "group"}
    edges |= {"compare_start": "0001-01-01", "compare_end": "2201-01-01"}
    form = SteeringForm(data=edges)
    assert not form.is_valid()
    assert set(form.errors) == {"start", "end", "compare_start", "compare_end"}
    # The first and the last years it computes (a period is at most 30 years long, F6).
    for start, end in (("1900-01-01", "1929-12-31"), ("2171-01-01", "2200-12-31")):
        assert SteeringForm(data={"start": start, "end": end, "group_by": "group"}).is_valid()
