from django.contrib import admin
from django.urls import include, path

from seemix.api import api
from seemix.core import views as core_views

admin.site.site_header = "seemix administration"
admin.site.site_title = "seemix administration"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("seemix.core.urls")),
    path("gazetteer/", include("seemix.gazetteer.urls")),
    path("flows/", include("seemix.flows.urls")),
    path("", include("seemix.directory.urls")),
    path("measures/", include("seemix.measures.urls")),
    path("outbox/", include("seemix.outbox.urls")),
    path("situation/", include("seemix.situation.urls")),
]

handler404 = "seemix.core.views.not_found"
