"""Error pages: in Danish, and they never repeat what the request carried."""

import logging

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path

from trappen import urls as app_urls

CPR = "0101151234"


def boom(request: HttpRequest):
    raise RuntimeError(f"lookup failed for {CPR} / Testa Barnesen")


urlpatterns = [path("boom/", boom), *app_urls.urlpatterns]


@pytest.mark.parametrize("url", [f"/no-such-page/{CPR}/", f"/notifications/{CPR}/"])
def test_a_404_page_does_not_repeat_the_address(org, url):
    response = org.client(org.cw1).get(f"{url}?cpr=010115-1234&name=Testa")
    assert response.status_code == 404
    body = response.content.decode()
    assert CPR not in body and "010115" not in body and "Testa" not in body
    assert "<h1>" in body


def test_a_403_page_shows_nothing_of_the_case(org):
    case = org.case()
    response = org.client(org.cw_south).get(f"/cases/{case.pk}/?cpr={CPR}")
    assert response.status_code in (403, 404)
    body = response.content.decode()
    assert CPR not in body and "Barnesen" not in body and "010115" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_page_and_its_log_line_carry_no_cpr(db, caplog):
    client = Client(raise_request_exception=False)
    django_logger = logging.getLogger("django")
    django_logger.addHandler(caplog.handler)  # "django" does not propagate to the root
    try:
        with caplog.at_level(logging.DEBUG):
            response = client.get(f"/boom/?cpr={CPR}")
    finally:
        django_logger.removeHandler(caplog.handler)
    assert response.status_code == 500
    body = response.content.decode()
    assert CPR not in body and "Barnesen" not in body and "lookup failed" not in body
    assert "RuntimeError" in caplog.text  # the error is logged, with its traceback ...
    assert CPR not in caplog.text  # ... but the CPR number is masked


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_each_error_template_renders_without_a_request(status):
    from django.template.loader import render_to_string

    html = render_to_string(f"{status}.html")
    assert "<h1>" in html and "{%" not in html
