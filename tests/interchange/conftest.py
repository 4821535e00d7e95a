"""A small valid interchange folder; tests change one file or cell and read or import it."""

from pathlib import Path

import pytest

# The example in docs/interchange.md. Its teams and districts are those of tests/conftest.Org.
EXAMPLE: dict[str, str] = {
    "districts": """district,group,team
Nordby,Pilot,Team Nord
Sydby,Øvrige,Team Syd
""",
    "children": """child_id,birth_date,sex,district
B-1001,2012-04-17,female,Nordby
B-1002,2009-11-02,male,Sydby
""",
    "cases": """case_id,child_id,team,opened,closed,caseworker
S-501,B-1001,Team Nord,2021-03-01,,anna
S-502,B-1002,Team Syd,2019-06-10,2022-01-31,
""",
    "episodes": """\
episode_id,child_id,step,placement_type,intervention,start_date,end_date,end_reason,daily_cost
F-9001,B-1001,2,,Familiebehandling,2021-05-01,2021-12-31,planned,850
F-9002,B-1001,4,foster_ordinary,Almindelig plejefamilie,2022-01-01,,,1450.5
F-9003,B-1002,5,residential_institution,Døgninstitution,2019-09-01,2021-08-15,breakdown,3900
""",
    "followups": """followup_id,child_id,episode_id,date,child_conversation
O-1,B-1001,F-9002,2022-03-15,1
O-2,B-1001,F-9002,2022-09-20,0
""",
    "complaints": """complaint_id,child_id,team,date
K-1,B-1002,Team Syd,2020-02-11
""",
    "sdq": """\
sdq_id,child_id,date,informant,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,item_10,item_11,item_12,item_13,item_14,item_15,item_16,item_17,item_18,item_19,item_20,item_21,item_22,item_23,item_24,item_25,impact_difficulties,impact_distress,impact_home,impact_friendships,impact_learning,impact_leisure,impact_peers
Q-1,B-1001,2021-06-01,parent,1,2,0,1,1,1,2,0,1,1,1,2,0,1,1,1,2,0,1,1,1,2,0,1,1,1,1,2,0,1,0,
Q-2,B-1001,2022-06-01,teacher,0,1,0,2,1,0,1,0,2,1,0,1,0,2,1,0,1,0,2,1,0,1,0,2,1,0,,,,,,
Q-3,B-1002,2021-03-01,self,1,0,1,1,,1,0,1,1,,1,0,1,1,,1,0,1,1,,1,0,1,1,,,,,,,,
""",
}


def write_folder(folder: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write the files (table → text, bytes, or None for no file) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, content in files.items():
        path = folder / f"{table}.csv"
        if content is None:
            continue
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def changed(table: str, old: str, new: str) -> dict[str, str | bytes | None]:
    """The example with `old` replaced by `new` (once) in one file."""
    assert old in EXAMPLE[table], old
    return {**EXAMPLE, table: EXAMPLE[table].replace(old, new, 1)}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "example", dict(EXAMPLE))
