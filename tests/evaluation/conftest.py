"""Two small worlds: an interchange folder for the command (`folder`), and a database with two
placed children for the pages (`placed`).

The folder. Pilot (Nordby): c1 in a residential institution all of 2013 and 2014, then in an
ordinary foster family from 1 January 2015; c2 in a home-based placement from 2 July 2015.
Øvrige (Sydby): c3 in an ordinary foster family throughout; c4 in prevention until 1 July
2015, then two months at a socio-pedagogical residence that end in a breakdown.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from trappen.cases.models import Case
from trappen.measures.models import Episode

FILES = {
    "districts.csv": """district,group,team
Nordby,Pilot,Team Nord
Sydby,Øvrige,Team Syd
""",
    "children.csv": """child_id,birth_date,sex,district
c1,2005-03-01,female,Nordby
c2,2000-06-01,male,Nordby
c3,2004-01-01,female,Sydby
c4,2010-01-01,male,Sydby
""",
    "cases.csv": """case_id,child_id,team,opened,closed,caseworker
k1,c1,Team Nord,2013-01-01,,cw-a
k2,c2,Team Nord,2013-01-01,,cw-a
k3,c3,Team Syd,2013-01-01,,cw-b
k4,c4,Team Syd,2013-01-01,,cw-b
""",
    "episodes.csv": """episode_id,child_id,step,placement_type,intervention,start_date,end_date,\
end_reason,daily_cost
e1,c1,5,residential_institution,Døgninstitution,2013-01-01,2015-01-01,planned,3000
e2,c1,4,foster_ordinary,Plejefamilie,2015-01-01,,,1000
e3,c2,2,home_based,Eget værelse,2015-07-02,,,500
e4,c3,4,foster_ordinary,Plejefamilie,2013-01-01,,,1000
e5,c4,1,,Familiebehandling,2013-01-01,2015-07-01,planned,200
e6,c4,5,socio_pedagogical,Opholdssted,2015-07-01,2015-09-01,breakdown,2500
""",
    "followups.csv": """followup_id,child_id,episode_id,date,child_conversation
f1,c1,e2,2015-01-15,1
f2,c1,e2,2015-03-01,1
""",
    "complaints.csv": """complaint_id,child_id,team,date
q1,c3,Team Syd,2015-05-01
""",
}


@pytest.fixture
def folder(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The steering pages keep figures for a few minutes: every test starts without."""
    cache.clear()
    yield
    cache.clear()


def place(org, cpr, district, step, placement_type, start, end=None):
    """A child with a case from `start` and one episode on `step`."""
    child = org.child(cpr, district=district)
    worker = org.cw1 if district == org.d_north else org.cw_south
    case = Case.objects.create(
        child=child, team=worker.team, caseworker=worker, opened_on=date(2014, 1, 1)
    )
    return Episode.objects.create(
        child=child,
        case=case,
        intervention=org.intervention(step, placement_type),
        start_on=start,
        end_on=end,
        daily_cost=Decimal("1000.00"),
        created_by=worker,
    )


@pytest.fixture
def placed(org):
    """Pilot: a child in an ordinary foster family from 2015. Øvrige: a child at a residential
    institution for the first half of 2015."""
    place(org, "0101101234", org.d_north, 4, "foster_ordinary", date(2015, 1, 1))
    place(
        org, "0202101234", org.d_south, 5, "residential_institution", date(2015, 1, 1),
        date(2015, 7, 1),
    )  # fmt: skip
    return org
