from django.urls import path

from loket.broadcasts import views

app_name = "broadcasts"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/jadwalkan/", views.schedule, name="schedule"),
    path("<int:pk>/hentikan/", views.cancel, name="cancel"),
    path("template/", views.templates, name="templates"),
    path("template/sinkron/", views.templates_sync, name="templates-sync"),
    path("template/<int:pk>/hapus/", views.template_delete, name="template-delete"),
    path("penerima/", views.import_officials, name="officials"),
    path("penerima/templat.xlsx", views.import_template, name="officials-template"),
    path("poster/", views.poster, name="poster"),
    path("poster/qr.png", views.poster_qr, name="poster-qr"),
    path("poster/poster.pdf", views.poster_file, name="poster-pdf"),
]
