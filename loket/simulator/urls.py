from django.urls import path

from loket.simulator import views

app_name = "simulator"
urlpatterns = [
    path("", views.chat, name="chat"),
    path("feed", views.feed, name="feed"),
    path("compose", views.compose, name="compose"),
    path("media/<str:media_id>", views.media_bytes, name="media-bytes"),
    path("graph/<str:version>/<str:media_id>", views.graph_media, name="graph-media"),
    path(
        "graph/<str:version>/<str:phone_number_id>/messages",
        views.graph_messages,
        name="graph-messages",
    ),
]
