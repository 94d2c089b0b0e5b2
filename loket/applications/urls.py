from django.urls import path

from loket.applications import staff_views, views

app_name = "applications"
urlpatterns = [
    path("l/<str:token>/tanda-terima.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("l/<str:token>/berkas/<int:pk>/", views.citizen_document, name="citizen-document"),
    path("l/<str:token>/unggah/<int:index>/", views.upload, name="upload"),
    path("formulir/<str:code>.pdf", views.blank_form, name="blank-form"),
    path("cek/", views.check, name="check-form"),
    path("cek/<str:ticket>/", views.check, name="check"),
    path("staf/permohonan/", staff_views.queue, name="queue"),
    path("staf/permohonan/<int:pk>/", staff_views.detail, name="detail"),
    path("staf/permohonan/<int:pk>/aksi/<str:action>/", staff_views.act, name="act"),
    path("staf/permohonan/<int:pk>/berkas/<int:doc>/", staff_views.document, name="document"),
]
