from django.urls import path

from loket.appointments import views_public as public
from loket.appointments import views_staff as staff

app_name = "appointments"
urlpatterns = [
    path("janji/<str:token>/", public.book_page, name="book"),
    path("janji/<str:token>/pesan/", public.book_submit, name="book-submit"),
    path("janji-saya/<str:token>/", public.manage, name="manage"),
    path("janji-saya/<str:token>/qr.png", public.booking_qr, name="booking-qr"),
    path("janji-saya/<str:token>/bukti.pdf", public.booking_slip, name="booking-slip"),
    path("antrian/<slug:slug>/layar/", public.display, name="display"),
    path("antrian/<slug:slug>/layar/isi/", public.display_feed, name="display-feed"),
    path("antrian/<slug:slug>/ruang/", public.occupancy, name="occupancy"),
    path("antrian/<slug:slug>/penuh/<slug:service_code>/", public.full, name="full"),
    path("antrian/<slug:slug>/wa.png", public.whatsapp_qr, name="whatsapp-qr"),
    path("staf/antrian/", staff.queue_page, name="staff-queue"),
    path("staf/antrian/hadir/", staff.check_in, name="staff-check-in"),
    path("staf/antrian/tanpa-janji/", staff.walk_in, name="staff-walk-in"),
    path("staf/antrian/panggil/", staff.call_next, name="staff-call"),
    path("staf/antrian/tiket/<int:pk>/<slug:action>/", staff.ticket_action, name="staff-ticket"),
    path("staf/antrian/rekap/", staff.summary, name="staff-summary"),
    path("staf/antrian/sesi/", staff.slots_page, name="staff-slots"),
    path("staf/antrian/sesi/<int:pk>/potong/", staff.cut_slot, name="staff-cut-slot"),
    path("staf/antrian/sesi/tutup/", staff.close_day, name="staff-close-day"),
]
