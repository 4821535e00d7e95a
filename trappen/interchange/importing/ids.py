"""The ids rows keep from their files, and the ids this installation gives its own rows."""

import re

from django.db import models

from trappen.cases.models import Case, Child, Complaint
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode
from trappen.wellbeing.models import SdqMeasurement

# The models that keep the id a row had in the file, by table.
MODELS: dict[str, type[models.Model]] = {
    "children": Child,
    "cases": Case,
    "episodes": Episode,
    "followups": FollowUp,
    "complaints": Complaint,
    "sdq": SdqMeasurement,
}


def own_id_pattern(token: str) -> re.Pattern[str]:
    """The ids an export of this installation gives rows that came without one."""
    return re.compile(rf"trappen-{re.escape(token)}-[0-9]+")
