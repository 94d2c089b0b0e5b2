"""The second factor pages: enrol an authenticator app (QR), then give a code at each login."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import devices_for_user, user_has_device

from loket.staff import security


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect(security.with_next("/staf/2fa/daftar/", security.safe_next(request)))
    error = None
    if request.method == "POST":
        token = request.POST.get("token", "")
        for device in devices_for_user(request.user):
            if security.confirm(request, device, token):
                return redirect(security.safe_next(request))
        error = "Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi autentikator."
    return render(
        request, "staff/2fa_verify.html", {"error": error, "next": security.safe_next(request)}
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(security.with_next("/staf/2fa/", security.safe_next(request)))
    device = security.new_device(request.user)
    error = None
    if request.method == "POST":
        if security.confirm(request, device, request.POST.get("token", "")):
            return redirect(security.safe_next(request))
        error = "Kode belum cocok. Pastikan jam HP benar, lalu ketik kode 6 angka yang terbaru."
    return render(
        request,
        "staff/2fa_enrol.html",
        {
            "qr": security.qr_data_uri(device.config_url),
            "secret": security.secret_text(device),
            "error": error,
            "next": security.safe_next(request),
        },
    )
