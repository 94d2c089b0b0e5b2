from django.urls import path

from loket.bot import views

app_name = "bot"
urlpatterns = [path("l/<str:token>/", views.service_link, name="link")]
