"""What `trappen demo` prints: every login, one child's full CPR number and the port."""

import re
from io import StringIO

from django.core.management import call_command

from trappen.cases.models import Child


def test_the_demo_prints_every_login_a_full_cpr_and_the_port(db):
    out = StringIO()
    call_command("demo", "--children", "40", "--yes", "--no-history", "--port", "8001", stdout=out)
    text = out.getvalue()
    for username in (
        "sagsbehandler",
        "teamleder",
        "sagsbehandler2",
        "psykolog",
        "sundhedsplejerske",
        "analytiker",
        "admin",
        "databeskyttelse",
        "skole",
    ):
        assert re.search(rf"^{username}\s", text, re.MULTILINE), username
    found = re.search(r"look up (\d{6})-(\d{4})", text)
    assert found, text
    child = Child.objects.get(cpr=found[1] + found[2])
    assert child.full_name in text
    assert text.rstrip().endswith("Open http://127.0.0.1:8001 and log in.")
