from django.urls import path

from loket.doccheck import views

app_name = "doccheck"
urlpatterns = [
    path("l/<str:token>/berkas/<int:pk>/periksa/", views.status, name="status"),
]
