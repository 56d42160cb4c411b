from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from seoulhub.api import api
from seoulhub.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/", core_views.about, name="about"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("seoulhub.accounts.urls")),
    path("accounts/", include("allauth.account.urls")),
    path("tech/", include("seoulhub.taxonomy.urls")),
    path("radar/", include("seoulhub.radar.urls")),
    path("operator/", include("seoulhub.radar.urls_operator")),
    path("support/", include("seoulhub.support.urls")),
    path("pilots/", include("seoulhub.pilots.urls")),
    path("observatory/", include("seoulhub.observatory.urls")),
    path("landscape/", include("seoulhub.landscape.urls")),
    path("alerts/", include("seoulhub.alerts.urls")),
]

handler400 = "seoulhub.core.views.bad_request"
handler403 = "seoulhub.core.views.permission_denied"
handler404 = "seoulhub.core.views.page_not_found"
handler500 = "seoulhub.core.views.server_error"
