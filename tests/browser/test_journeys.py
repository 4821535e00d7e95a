"""One journey per role at 1280 and 390 px in a real browser (chromium): no page wider than
the window, no console error, and axe-core finds no critical or serious violation.

With TRAPPEN_SCREENSHOTS=1 each role's home is saved to docs/screens/ at both widths (CI does
not set it, so it never rewrites the tracked screenshots).
"""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import homes
from trappen.cases.models import Case, Child
from trappen.catalogue.models import Intervention
from trappen.drafts.models import Draft
from trappen.intake.models import Notification
from trappen.measures.models import Episode
from trappen.meetings.models import Meeting
from trappen.organisation.models import User

from .conftest import PHONE, WIDE, Session

pytestmark = pytest.mark.browser


def own_open_case(username: str) -> Case:
    return (
        Case.objects.filter(caseworker__username=username, closed_on__isnull=True)
        .order_by("pk")
        .first()
    )


def shared_case(username: str) -> Case:
    """An open case shared with `username` under a valid consent (what the policy lets them
    read, and what their home lists)."""
    cases = policy.visible_cases(User.objects.get(username=username), break_glass=False)
    return cases.exclude(status=Case.Status.CLOSED).order_by("pk").first()


def lands_on(session: Session, url_name: str) -> None:
    """The login led to the role's own home (F10 point 4), not to a page for another role."""
    assert session.page.url == session.base + reverse(url_name), session.page.url


def link_to(case: Case) -> str:
    return f"main table a[href='/cases/{case.pk}/']"


def assert_clean(session: Session) -> None:
    problems = session.problems()
    assert not problems, "\n".join(problems)


def test_caseworker_writes_up_a_home_visit_on_a_phone(session: Session) -> None:
    session.login("sagsbehandler")
    lands_on(session, "dashboards:my_home")
    case = own_open_case("sagsbehandler")
    # Mit overblik lists the caseworker's own open case, the child named and linked.
    assert session.page.locator(link_to(case)).first.inner_text() == case.child.full_name
    session.check(shot="caseworker")
    # The first Tab reaches the skip link, which leads to the page's content.
    session.page.keyboard.press("Tab")
    assert session.page.evaluate("document.activeElement.getAttribute('href')") == "#content"
    assert session.page.is_visible(".skip")
    episode = Episode.objects.filter(
        case__caseworker__username="sagsbehandler", case__closed_on__isnull=True, end_on=None
    ).first()
    session.check(f"/cases/{case.pk}/")
    # A journal note typed on the phone is saved as a draft while typing (F10 point 2): the
    # page lost (reloaded), the note is there again; saved, it is shown and its draft gone.
    page = session.page
    page.set_viewport_size({"width": PHONE, "height": 900})
    journal = f"form[action='/cases/{case.pk}/journal/']"
    page.select_option(f"{journal} [name=heading]", index=1)
    page.locator(f"{journal} [name=text]").press_sequentially("Samtale med barnet i hjemmet.")
    page.locator("#draft-status button").wait_for()  # "Kladde gemt kl. …  Kassér kladden"
    assert Draft.objects.get(case=case).text == "Samtale med barnet i hjemmet."
    page.reload()
    assert page.input_value(f"{journal} [name=text]") == "Samtale med barnet i hjemmet."
    page.click(f"{journal} button[type=submit]:not([formaction])")
    page.wait_for_load_state()
    assert "Samtale med barnet i hjemmet." in page.content()
    assert not Draft.objects.filter(case=case).exists()
    session.check()
    session.check(f"/measures/{episode.pk}/follow-ups/new/")
    session.check("/notifications/new/")
    session.check("/follow-ups/")
    session.check(f"/cases/{case.pk}/network-meetings/new/")
    # A free step-0 offer asks no price.
    session.check(f"/cases/{case.pk}/measures/new/")
    assert page.is_visible("#id_daily_cost")
    page.select_option("#id_intervention", str(Intervention.objects.filter(step_id=0)[0].pk))
    assert not page.is_visible("#id_daily_cost")
    # The navigation folds behind the menu button on the phone and opens on a tap.
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert not page.is_visible("#site-nav")
    page.click(".menu-toggle")
    assert page.is_visible("#site-nav a[aria-current=page]") or page.is_visible("#site-nav a")
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    assert_clean(session)


def without_exit_plan(leader: str) -> None:
    """An institution placement (imported, long names) with no exit plan in `leader`'s team:
    the team page lists it (that table overflowed at 1280 px)."""
    case = Case.objects.filter(team__members__username=leader, closed_on__isnull=True).first()
    institution = Intervention.objects.filter(placement_type="residential_institution").first()
    Episode.objects.create(
        child=case.child,
        case=case,
        intervention=institution,
        start_on=timezone.localdate() - timedelta(days=30),
        daily_cost=2000,
        created_by=case.caseworker,
    )


def test_team_leader_on_the_team_page_and_the_steering(session: Session) -> None:
    without_exit_plan("teamleder")
    session.login("teamleder")
    lands_on(session, "dashboards:team")
    # The programme's targets load into the team page after it is shown.
    session.check(shot="team-leader", wait_for="#targets-heading")
    assert session.page.locator("section.targets table tbody tr").count() > 0
    page = session.page
    page.set_viewport_size({"width": WIDE, "height": 900})
    # The whole navigation on one line at 1280 px.
    tops = page.eval_on_selector_all("#site-nav a", "links => links.map(a => a.offsetTop)")
    assert len(set(tops)) == 1, tops
    assert page.get_attribute("#site-nav a[href='/team/']", "aria-current") == "page"
    assert page.is_visible("#exit-plans")
    session.check("/cases/")
    session.check("/follow-ups/team/")
    session.check("/steering/")
    # The minutes typed are saved as a draft while typing (F10 point 2): the page lost
    # (reloaded), they are offered again.
    meeting = Meeting.objects.filter(series__team__members__username="teamleder").first()
    page.goto(f"{session.base}/meetings/{meeting.pk}/minutes/")
    page.fill("[name=minutes]", "")
    page.locator("[name=minutes]").press_sequentially("Drøftet: fravær i 4. klasse.")
    page.locator("#draft-status button").wait_for()  # "Kladde gemt kl. …  Kassér kladden"
    assert Draft.objects.get(meeting=meeting).text == "Drøftet: fravær i 4. klasse."
    page.reload()
    assert page.input_value("[name=minutes]") == "Drøftet: fravær i 4. klasse."
    assert_clean(session)


@pytest.mark.parametrize(
    ("username", "shot"), [("psykolog", "psychologist"), ("sundhedsplejerske", "health-visitor")]
)
def test_shared_professions_see_their_home_and_a_shared_case(
    session: Session, username: str, shot: str
) -> None:
    session.login(username)
    lands_on(session, "dashboards:shared")
    case = shared_case(username)
    # Their home lists the case shared with them (it said "Ingen sager"), and it opens.
    assert session.page.locator(link_to(case)).first.inner_text() == case.child.full_name
    session.check(shot=shot)
    session.page.click(link_to(case))
    session.page.wait_for_load_state()
    assert session.page.url == f"{session.base}/cases/{case.pk}/"
    session.check()
    assert_clean(session)


def test_school_contact_sends_a_concern(session: Session) -> None:
    session.login("skole")
    lands_on(session, "dashboards:school")
    session.check(shot="school-contact")
    # The concern is sent from the form; the receipt and the home show its reference number.
    child = Child.objects.exclude(cpr=None).select_related("district").order_by("pk").first()
    session.check("/notifications/concern/")
    page = session.page
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.fill("[name=cpr]", child.cpr)
    page.fill("[name=first_name]", child.first_name)
    page.fill("[name=last_name]", child.last_name)
    page.select_option("[name=district]", str(child.district_id))
    page.fill("[name=content]", "Barnet har været fraværende i tre uger.")
    if not page.input_value("[name=notifier_role]"):
        page.fill("[name=notifier_role]", "Lærer")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    sent = Notification.objects.filter(registered_by__username="skole").latest("pk")
    assert sent.reference in page.inner_text(".flash.success")
    session.check()
    session.page.goto(session.base + "/")
    lands_on(session, "dashboards:school")
    mine = session.page.locator("main table td", has_text=sent.reference)
    assert mine.count() == 1
    # The school contact never sees the child's name or the case.
    assert child.last_name not in session.page.inner_text("main")
    session.check("/meetings/submit/")
    assert_clean(session)


def test_analyst_reads_the_steering(session: Session) -> None:
    session.login("analytiker")
    lands_on(session, "dashboards:figures")
    # Key figures at a glance (counts), then the programme's targets with their goals.
    analyst = User.objects.get(username="analytiker")
    open_cases = homes.key_figure_cases(analyst).exclude(status=Case.Status.CLOSED).count()
    assert session.page.inner_text("dl.facts dd >> nth=0") == str(open_cases)
    session.check(shot="analyst", wait_for="#targets-heading")
    assert session.page.locator("section.targets table tbody tr").count() > 0
    session.check("/steering/")
    session.check("/catalogue/")
    assert_clean(session)


# A4 less the print margins of steering.css, in CSS pixels (96 per inch).
A4_PORTRAIT, A4_LANDSCAPE = 703, 1030


def test_the_evaluation_report_prints_on_a4(session: Session) -> None:
    """Every table fits the paper: portrait, or landscape for a table of many columns (the
    comparison's difference in differences was cut off)."""
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    session.login("analytiker")
    session.check(
        f"/steering/report/?start={today.year}-01-01&end={today}&group_by=group"
        f"&compare_start={year_ago.year}-01-01&compare_end={year_ago}"
        "&treated=Pilot&control=%C3%98vrige"
    )
    page = session.page
    assert page.is_visible("nav.toc")
    assert page.locator(".table-section.wide").count() > 0
    page.emulate_media(media="print")
    for width, sections in ((A4_PORTRAIT, ":not(.wide)"), (A4_LANDSCAPE, ".wide")):
        page.set_viewport_size({"width": width, "height": 900})
        too_wide = page.evaluate(
            f"""[...document.querySelectorAll('.table-section{sections}')]
            .filter(s => s.querySelector('table') &&
                         s.querySelector('table').scrollWidth > s.clientWidth)
            .map(s => s.querySelector('h3').textContent)"""
        )
        assert not too_wide, (width, too_wide)
    assert_clean(session)


def test_data_protection_officer_looks_up_a_child(session: Session) -> None:
    session.login("databeskyttelse")
    lands_on(session, "dashboards:privacy")
    page = session.page
    # Anomalies, break-the-glass accesses and CPR lookups, each a table of its own.
    assert page.locator("main section.card table").count() == 3
    session.check(shot="data-protection-officer")
    # A lookup for the access report (the citizen's right of access) ...
    child = Child.objects.exclude(cpr=None).order_by("pk").first()
    session.check("/privacy/children/")
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.fill("[name=cpr]", child.cpr)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{session.base}/privacy/children/{child.pk}/report/"
    assert child.cpr not in page.url
    session.check()
    # ... is listed on the home among the lookups, by who made it.
    page.goto(session.base + "/")
    dpo = User.objects.get(username="databeskyttelse")
    assert page.locator("main table tr", has_text=dpo.get_full_name()).count() >= 1
    assert_clean(session)


def test_administrator_reaches_the_admin(session: Session, settings: Any) -> None:
    session.login("admin")
    session.check(shot="administrator")
    assert session.page.url.endswith("/admin/")
    assert_clean(session)
