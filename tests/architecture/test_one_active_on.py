"""F7 point 3: "episode active on a day" is written once for the ORM (common.periods.active_on_q,
EpisodeQuerySet.active_on); simulation/staffing.py had a copy of its own again."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "trappen"
# start_on <= day and (no end or end > day), with the same day: the filter active_on_q builds.
COPY = re.compile(r"start_on__lte=(\w+).{0,200}?end_on__gt=\1\b", re.DOTALL)


def test_active_on_a_day_is_written_once():
    copies = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if "migrations" not in p.parts and COPY.search(p.read_text(encoding="utf-8"))
    ]
    assert copies == []


def test_the_check_finds_a_copy():
    copy = "Q(episodes__start_on__lte=today) & (Q(x=1) | Q(episodes__end_on__gt=today))"
    assert COPY.search(copy)
    assert not COPY.search("filter(start_on__lte=last).filter(Q(end_on__gt=first))")  # overlap
