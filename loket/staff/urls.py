from django.contrib.auth import views as auth_views
from django.urls import path

from loket.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(next_page="/staf/masuk/"), name="logout"),
]
