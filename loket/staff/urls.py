from django.contrib.auth import views as auth_views
from django.urls import path

from loket.staff import office_views, policy_views, views, views_auth

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("2fa/", views_auth.verify, name="2fa"),
    path("2fa/daftar/", views_auth.enrol, name="2fa-enrol"),
    path("keluar/", auth_views.LogoutView.as_view(next_page="/staf/masuk/"), name="logout"),
    path("kebijakan/", policy_views.index, name="policy"),
    path("kebijakan/draf-baru/", policy_views.new_draft, name="policy-new"),
    path("kebijakan/<int:pk>/", policy_views.draft, name="policy-draft"),
    path("kebijakan/<int:pk>/terbitkan/", policy_views.publish, name="policy-publish"),
    path("kebijakan/<int:pk>/buang/", policy_views.discard, name="policy-discard"),
    path("kebijakan/<int:pk>/akhiri/", policy_views.end, name="policy-end"),
    path("kebijakan/jam/", policy_views.hours, name="policy-hours"),
    path("kebijakan/tutup/", policy_views.add_closure, name="policy-closure"),
    path(
        "kebijakan/tutup/<int:pk>/hapus/",
        policy_views.remove_closure,
        name="policy-closure-remove",
    ),
    path("kantor/", office_views.index, name="offices"),
    path("kantor/baru/", office_views.create, name="office-new"),
    path("kantor/<int:pk>/", office_views.detail, name="office"),
    path("kantor/<int:pk>/jam/", office_views.hours, name="office-hours"),
    path("kantor/<int:pk>/layanan/", office_views.services, name="office-services"),
    path("kantor/<int:pk>/staf/", office_views.staff, name="office-staff"),
    path("kantor/<int:pk>/staf/baru/", office_views.add_member, name="office-member-new"),
    path("kantor/<int:pk>/staf/akun/", office_views.assign_member, name="office-member-assign"),
]
