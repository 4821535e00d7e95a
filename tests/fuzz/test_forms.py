"""(a) Every form of the project, bound to hostile data: it never raises, a refusal says why,
and the re-rendered form escapes what was typed."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

import trappen

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


def _field_data(form_class: type[forms.BaseForm]) -> st.SearchStrategy[dict[str, object]]:
    fields = form_class.base_fields
    values: dict[str, st.SearchStrategy[object]] = {}
    for name, field in fields.items():
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values[name] = st.lists(hostile_value, max_size=3)
        else:
            values[name] = hostile_value
    return st.fixed_dictionaries({}, optional=values)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_a_form_bound_to_hostile_data_refuses_with_messages_and_escapes_it(org, form_class):
    params = inspect.signature(form_class.__init__).parameters.values()
    needed = [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    if needed:
        pytest.skip(f"needs {', '.join(needed)} to be built: fuzz it through its view")

    @FUZZ
    @given(data=_field_data(form_class))
    def check(data: dict[str, object]) -> None:
        form = form_class(data=data)
        if not form.is_valid():
            assert form.errors
            for field, messages in form.errors.items():
                assert field == "__all__" or field in form.fields
                assert messages and all(str(m).strip() for m in messages)
        html = form.as_div()
        assert SCRIPT not in html

    check()
