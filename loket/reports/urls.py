from django.urls import path

from loket.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("unduh/<slug:key>.xlsx", views.export_table, name="export"),
    path("rekap.pdf", views.rekap_pdf, name="rekap"),
    path("siak/", views.siak_page, name="siak"),
    path("siak/unduh.<str:fmt>", views.siak_export, name="siak-export"),
    path("provinsi/", views.province_page, name="province"),
]
