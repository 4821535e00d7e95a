"""F6 point 9: the steering cannot starve the case work.

One steering user asking for a 300-year period took 5-8 s and 5 MB per request, and eight at
once slowed every caseworker's page about tenfold. Now: a period is at most 30 years; the
figures of one set of choices are computed once and kept in a shared, bounded cache until the
data changes; and at most a few evaluations run at once across all workers — one more gets a
friendly "try again in a moment" page with status 503 instead of a hung worker.
"""

# ruff: noqa: F811  (fixtures imported from the tests' other conftest files)

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.core import kpi
from trappen.measures.models import Episode

from ..evaluation.conftest import place, placed  # noqa: F401  (a fixture)
from ..interchange.conftest import EXAMPLE, write_folder

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}
TOO_LONG = _("A period can be at most %(years)s years long.") % {"years": 30}
BUSY = _("The figures are being computed for other users. Try again in a moment.")


@pytest.fixture
def evaluations(monkeypatch):
    """Counts the periods evaluated (kpi.evaluate calls)."""
    calls: list[object] = []
    real = kpi.evaluate

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(kpi, "evaluate", counting)
    return calls


def get(client, view="evaluation:index", **params):
    return client.get(reverse(view), params)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "1900-01-01", "end": "2199-12-31"},
        {"start": "1985-01-01", "end": "2015-12-31"},
        {**YEAR, "compare_start": "1900-01-01", "compare_end": "2199-12-31"},
    ],
)
@pytest.mark.parametrize("view", ["evaluation:index", "evaluation:report", "evaluation:workbook"])
def test_steering_refuses_300_year_period(placed, evaluations, params, view):
    response = get(placed.client(placed.analyst), view, **{"group_by": "group", **params})
    assert response.status_code in (200, 400)
    assert TOO_LONG in response.content.decode()
    assert evaluations == []


def test_a_period_of_30_years_is_computed(placed, evaluations):
    response = get(placed.client(placed.analyst), start="1986-01-01", end="2015-12-31")
    assert response.status_code == 200 and TOO_LONG not in response.content.decode()
    assert len(evaluations) == 1


def test_steering_results_cached(placed, evaluations):
    client = placed.client(placed.analyst)
    assert get(client, **YEAR).status_code == 200
    assert len(evaluations) == 1
    # The same choices again, and their workbook and report: computed once.
    get(client, **YEAR)
    get(client, "evaluation:workbook", **YEAR)
    get(client, "evaluation:report", **YEAR)
    assert len(evaluations) == 1
    # Another user with the same choices shares the result (the cache is shared).
    get(placed.client(placed.leader), **YEAR)
    assert len(evaluations) == 1
    # Another grouping or comparison is another result.
    get(client, **{**YEAR, "group_by": "team"})
    assert len(evaluations) == 2
    compare = {**YEAR, "compare_start": "2014-01-01", "compare_end": "2014-12-31"}
    get(client, **compare)
    assert len(evaluations) == 4  # both periods


@pytest.fixture
def committed_cache():
    """A test with real commits: its cached figures go with the flush of the tables after it."""
    yield


@pytest.mark.django_db(transaction=True)
def test_cached_results_do_not_outlive_a_change_of_the_data(
    placed, evaluations, tmp_path, committed_cache
):
    """Real commits: each change replaces the data version once its transaction commits."""
    client = placed.client(placed.analyst)
    before = get(client, **YEAR).context["figures"]
    get(client, **YEAR)
    assert len(evaluations) == 1
    # A caseworker records a measure: the figures are computed afresh.
    place(placed, "0303101234", placed.d_north, 5, "residential_institution", date(2015, 1, 1))
    after = get(client, **YEAR).context["figures"]
    assert len(evaluations) == 2
    assert after.after.total != before.after.total
    # So after an import …
    call_command("import", str(write_folder(tmp_path, dict(EXAMPLE))), stdout=StringIO())
    get(client, **YEAR)
    assert len(evaluations) == 3
    # … and a cost corrected by hand.
    episode = Episode.objects.get(external_id="F-9001")
    episode.daily_cost = Decimal("900")
    episode.save()
    get(client, **YEAR)
    assert len(evaluations) == 4
    # A refused import stores nothing and changes nothing; neither does a transaction rolled
    # back.
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path), "--dry-run", stdout=StringIO())
    with pytest.raises(RuntimeError), transaction.atomic():
        episode.save()
        raise RuntimeError
    get(client, **YEAR)
    assert len(evaluations) == 4


def test_one_transaction_replaces_the_version_once(placed, django_capture_on_commit_callbacks):
    from trappen.evaluation import limits

    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        place(placed, "0303101234", placed.d_north, 5, "residential_institution", date(2015, 1, 1))
        place(placed, "0404101234", placed.d_north, 4, "foster_ordinary", date(2015, 1, 1))
    assert callbacks.count(limits.data_changed) <= 1


def test_an_exception_or_a_report_replaces_the_version(placed, django_capture_on_commit_callbacks):
    """Follow-ups on time over time (kept with the figures) plan from them, beside the
    follow-ups: a team leader's exception or a provider's report changes the figures."""
    from django.db import connection

    from trappen.evaluation import limits
    from trappen.followups.models import FollowUpException, ProviderReport

    episode = Episode.objects.first()
    for make in (
        lambda: FollowUpException.objects.create(
            episode=episode, kind="far_away", reason="Langt væk", approved_by=placed.leader
        ),
        lambda: ProviderReport.objects.create(
            episode=episode, received_on=date(2015, 6, 1), recorded_by=placed.cw1
        ),
    ):
        # The fixture's saves left one pending (the test's transaction never commits): gone,
        # so that the save below registers its own.
        connection.run_on_commit = []
        with django_capture_on_commit_callbacks() as callbacks:
            make()
        assert callbacks.count(limits.data_changed) == 1


def test_the_cache_is_shared_and_bounded(placed, evaluations, settings):
    from trappen.evaluation.models import CachedFigures

    settings.TRAPPEN_STEERING_CACHE_ENTRIES = 3
    client = placed.client(placed.analyst)
    for year in range(2010, 2016):
        get(client, start=f"{year}-01-01", end=f"{year}-12-31", group_by="group")
    assert len(evaluations) == 6
    assert CachedFigures.objects.count() <= 3
    get(client, start="2015-01-01", end="2015-12-31", group_by="group")  # the newest: kept
    assert len(evaluations) == 6


def test_a_cached_result_altered_in_the_database_is_never_unpickled(placed, evaluations):
    """Whoever can write the database but does not have the secret key cannot make the
    application unpickle (run) what they wrote: the signature does not match."""
    import pickle

    from trappen.evaluation.models import CachedFigures

    client = placed.client(placed.analyst)
    get(client, **YEAR)
    ran: list[str] = []

    class Payload:
        def __reduce__(self):
            return (ran.append, ("unpickled",))

    entries = CachedFigures.objects.exclude(key="data-version")
    assert entries.count() == 1
    entries.update(value=pickle.dumps(Payload()))
    assert get(client, **YEAR).status_code == 200
    assert ran == []
    assert len(evaluations) == 2  # computed afresh instead
    # So for the data version.
    CachedFigures.objects.filter(key="data-version").update(value=b"forged")
    assert get(client, **YEAR).status_code == 200
    assert len(evaluations) == 3


def test_concurrent_evaluations_capped(placed, evaluations):
    from trappen.evaluation import limits

    client = placed.client(placed.analyst)
    cap = settings.TRAPPEN_STEERING_MAX_EVALUATIONS
    assert 1 <= cap <= 2
    # Other workers hold every slot.
    held = [limits.acquire_slot() for _n in range(cap)]
    assert all(held) and limits.acquire_slot() is None
    for view in ("evaluation:index", "evaluation:report", "evaluation:workbook"):
        response = get(client, view, **YEAR)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert BUSY in response.content.decode()
    assert evaluations == []
    # Once a slot is free again, the figures are computed.
    limits.release_slot(held[0])
    assert get(client, **YEAR).status_code == 200
    assert len(evaluations) == 1
    # What is in the cache is served while every slot is taken.
    held[0] = limits.acquire_slot()
    assert get(client, **YEAR).status_code == 200
    assert len(evaluations) == 1


def test_a_slot_left_by_a_crashed_worker_expires(placed, evaluations):
    from trappen.evaluation import limits
    from trappen.evaluation.models import EvaluationSlot

    cap = settings.TRAPPEN_STEERING_MAX_EVALUATIONS
    for _n in range(cap):
        assert limits.acquire_slot()
    EvaluationSlot.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert get(placed.client(placed.analyst), **YEAR).status_code == 200


def test_a_failed_evaluation_frees_its_slot(placed, monkeypatch):
    from trappen.evaluation import limits

    def failing(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kpi, "evaluate", failing)
    client = placed.client(placed.analyst)
    client.raise_request_exception = False
    cap = settings.TRAPPEN_STEERING_MAX_EVALUATIONS
    for _n in range(cap + 1):
        assert get(client, **YEAR).status_code == 500
    assert all(limits.acquire_slot() for _n in range(cap))


def test_the_busy_page_in_the_htmx_partial(placed):
    from trappen.evaluation import limits

    for _n in range(settings.TRAPPEN_STEERING_MAX_EVALUATIONS):
        limits.acquire_slot()
    response = placed.client(placed.analyst).get(
        reverse("evaluation:index"), YEAR, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 503 and BUSY in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_never_hold_more_slots_than_the_cap(committed_cache):
    """Eight workers (threads, each with its own database connection) ask at the same moment:
    exactly the cap get a slot."""
    import threading

    from django.db import connection

    from trappen.evaluation import limits

    limits.release_slot(limits.acquire_slot())  # the slot rows exist
    start = threading.Barrier(8)
    got: list[object] = []

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            got.append(limits.acquire_slot())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = [slot for slot in got if slot is not None]
    assert errors == []
    assert len(got) == 8
    cap = settings.TRAPPEN_STEERING_MAX_EVALUATIONS
    if connection.vendor == "postgresql":
        assert len(held) == cap  # the others wait for the row, then find it taken
    else:
        # SQLite's shared in-memory test database refuses a write while another is under way
        # (instead of waiting): that worker is told "busy", never given a taken slot.
        assert 1 <= len(held) <= cap
    assert len({slot.number for slot in held}) == len(held)
