from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from loket.core import views as core_views
from loket.ops import metrics as ops_metrics

admin.site.site_header = "Loket — Disdukcapil"
admin.site.site_title = "Loket"
admin.site.index_title = "Administrasi"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("staf/inbox/", include("loket.inbox.urls")),
    path("staf/siaran/", include("loket.broadcasts.urls")),
    path("staf/piket/", include("loket.roster.urls")),
    path("staf/laporan/", include("loket.reports.urls")),
    path("staf/", include("loket.staff.urls")),
    path("webhooks/whatsapp/", include("loket.whatsapp.urls")),
    path("", include("loket.bot.urls")),
    path("", include("loket.applications.urls")),
    path("", include("loket.doccheck.urls")),
    path("", include("loket.appointments.urls")),
]

if settings.SIMULATOR_ENABLED:
    urlpatterns.append(path("simulator/", include("loket.simulator.urls")))
