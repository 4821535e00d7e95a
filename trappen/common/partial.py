"""Model instances from rows read as tuples, holding only the columns a list reads.

The lists that plan or show hundreds of rows (the due lists, the team view) read them with
`values_list()` and make instances of what they read: loading them as the ORM does, with every
column and five instances a row, was most of those pages' time. An instance made here is what
`Model.from_db()` makes of a partial row: any other field is deferred (read when asked for).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import DEFERRED, ForeignKey, Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)


def attnames(model: type[Model]) -> list[str]:
    """The model's concrete columns, in the order `from_db()` takes a full row."""
    return [f.attname for f in model._meta.concrete_fields]


def maker(model: type[M], db: str) -> Callable[[dict[str, Any]], M]:
    """Makes an instance of `model` holding `values` (by attname), its other fields deferred.

    Without `Model.__init__()` walking every field of the model to skip the deferred ones: a
    deferred field is one missing from the instance's `__dict__`, as Django reads it. Through
    `from_db()` when a signal listens to the model's construction."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        fields = model._meta.concrete_fields

        def through_init(values: dict[str, Any]) -> M:
            row = [values.get(f.attname, DEFERRED) for f in fields]
            return model.from_db(db, list(values), row)

        return through_init

    def make(values: dict[str, Any]) -> M:
        instance = model.__new__(model)
        instance._state = ModelState()
        instance._state.adding = False
        instance._state.db = db
        instance.__dict__.update(values)
        return instance

    return make


def relate(instance: Model, name: str, related: Model) -> None:
    """`instance.<name> = related` for a foreign key whose column already holds related's pk:
    the related instance cached, as the descriptor does, without its checks (they cost more
    than making the row)."""
    field = instance._meta.get_field(name)
    assert isinstance(field, ForeignKey)
    field.set_cached_value(instance, related)


class Shared:
    """One instance per (model, pk) of full rows read alongside (an intervention, a
    caseworker shared by many rows)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._found: dict[tuple[type[Model], Any], Any] = {}

    def one(self, model: type[M], values: tuple[Any, ...]) -> M:
        """The instance of `model` with `values` (its concrete fields, pk first)."""
        key = (model, values[0])
        if key not in self._found:
            self._found[key] = model.from_db(self.db, attnames(model), values)
        found: M = self._found[key]
        return found
