from django.urls import path

from loket.simulator import views

app_name = "simulator"
urlpatterns = [
    path("", views.chat, name="chat"),
    path("feed", views.feed, name="feed"),
    path("compose", views.compose, name="compose"),
    path(
        "graph/<str:version>/<str:phone_number_id>/messages",
        views.graph_messages,
        name="graph-messages",
    ),
]
