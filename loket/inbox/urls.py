from django.urls import path

from loket.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("daftar/", views.waiting_partial, name="waiting"),
    path("beban/", views.load, name="load"),
    path("jawaban/", views.saved_replies, name="saved-replies"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/pesan/", views.timeline_partial, name="timeline"),
    path("<int:pk>/ambil/", views.claim, name="claim"),
    path("<int:pk>/balas/", views.reply, name="reply"),
    path("<int:pk>/tautan/", views.send_link, name="link"),
    path("<int:pk>/dokumen/", views.send_document, name="send-document"),
    path("<int:pk>/template/", views.send_template, name="template"),
    path("<int:pk>/lampirkan/", views.attach, name="attach"),
    path("<int:pk>/kembalikan/", views.hand_back, name="hand-back"),
    path("<int:pk>/tutup/", views.close, name="close"),
    path("berkas/<int:pk>/", views.citizen_file, name="citizen-file"),
    path("d/<str:token>/", views.document, name="document"),
]
