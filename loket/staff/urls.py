from django.contrib.auth import views as auth_views
from django.urls import path

from loket.staff import views, views_auth

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("2fa/", views_auth.verify, name="2fa"),
    path("2fa/daftar/", views_auth.enrol, name="2fa-enrol"),
    path("keluar/", auth_views.LogoutView.as_view(next_page="/staf/masuk/"), name="logout"),
]
