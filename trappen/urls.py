from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from trappen.security.views import LoginView

urlpatterns = [
    path("", include("trappen.dashboards.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/", include("trappen.security.urls")),
    path("drafts/", include("trappen.drafts.urls")),
    path("notifications/", include("trappen.intake.urls")),
    path("cases/", include("trappen.cases.urls")),
    path("cases/", include("trappen.plans.urls")),
    path("", include("trappen.investigations.urls")),
    path("", include("trappen.measures.urls")),
    path("", include("trappen.followups.urls")),
    path("messages/", include("trappen.notices.urls")),
    path("catalogue/", include("trappen.catalogue.urls")),
    path("steering/", include("trappen.simulation.urls")),
    path("steering/", include("trappen.evaluation.urls")),
    path("audit/", include("trappen.audit.urls")),
    path("privacy/", include("trappen.privacy.urls")),
    path("meetings/", include("trappen.meetings.urls")),
    path("", include("trappen.activities.urls")),
    path("", include("trappen.wellbeing.urls")),
    path("", include("trappen.network.urls")),
    path("", include("trappen.consent.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("trappen.operations.urls")),
    path("api/", include("trappen.api.urls")),
    path("admin/", admin.site.urls),
]
