from django.urls import path

from loket.roster import views, views_me

app_name = "roster"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("periode/baru/", views.create_period, name="create-period"),
    path("periode/<int:pk>/susun/", views.solve, name="solve"),
    path("periode/<int:pk>/umumkan/", views.publish, name="publish"),
    path("periode/<int:pk>/cetak/", views.print_view, name="print"),
    path("periode/<int:pk>/jadwal.xlsx", views.export, name="export"),
    path("cuti/", views.add_absence, name="add-absence"),
    path("pegawai/", views.employees, name="employees"),
    path("pegawai/templat.xlsx", views.import_template, name="import-template"),
    path("saya/", views_me.mine, name="mine"),
    path("saya/absen/", views_me.attend, name="attend"),
    path("tukar/", views_me.swaps, name="swaps"),
    path("tukar/<int:pk>/putuskan/", views_me.decide, name="decide"),
    path("kehadiran/", views_me.attendance, name="attendance"),
]
