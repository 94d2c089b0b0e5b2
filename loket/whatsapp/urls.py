from django.urls import path

from loket.whatsapp import views

app_name = "whatsapp"
urlpatterns = [path("", views.webhook, name="webhook")]
