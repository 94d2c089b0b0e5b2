"""Demo data: two sent applications of the demo office, so the staff queue is not empty.

No WhatsApp message is queued for them: the numbers are made up.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from loket.applications.files import store_requirement
from loket.applications.models import Application, ApplicationEvent, State
from loket.applications.specs import upload_slots
from loket.applications.tickets import new_ticket
from loket.catalog.models import Office, Service
from loket.whatsapp.models import Contact

DEMO = [
    (
        "6281100000001",
        "Budi (demo)",
        "akta-lahir",
        "Budi Santoso",
        "6471051203900001",
        {
            "x_child_name": "Ayu Santoso",
            "x_child_sex": "P",
            "x_child_birth_place": "Balikpapan",
            "x_child_birth_date": "2020-03-20",
            "x_father_name": "Budi Santoso",
            "x_mother_name": "Siti Aminah",
        },
    ),
    (
        "6281100000002",
        "Rina (demo)",
        "pindah",
        "Rina Wulandari",
        "6471055708850003",
        {
            "x_destination_address": "Jl. Pahlawan No. 3, RT 02/RW 01, Kel. Sidodadi",
            "x_destination_region": "Kota Samarinda, Kalimantan Timur",
            "x_move_reason": "pekerjaan",
        },
    ),
]


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (230, 230, 220)).save(out, "JPEG")
    return SimpleUploadedFile("dokumen.jpg", out.getvalue(), content_type="image/jpeg")


def seed(office: Office) -> None:
    for wa_id, profile, code, name, nik, extra in DEMO:
        contact, _ = Contact.objects.get_or_create(
            office=office, wa_id=wa_id, defaults={"profile_name": profile}
        )
        service = Service.objects.get(code=code)
        if Application.objects.filter(contact=contact, service=service).exists():
            continue
        application = Application.objects.create(
            office=office,
            contact=contact,
            service=service,
            state=State.DRAFT,
            name=name,
            data={
                "name": name,
                "birth_place": "Balikpapan",
                "address": "Jl. Demo No. 1",
                "kelurahan": "64.71.05.1002",
                "birth_date": "1990-03-12",
                **extra,
            },
        )
        application.set_nik(nik)
        application.set_kk("6471050101200003")
        application.save()
        for slot in upload_slots(service, application.data):
            store_requirement(application, slot.index, slot.label, _photo())
        # sent as of now, without a WhatsApp message to these made-up numbers
        now = timezone.now()
        application.ticket = new_ticket(office.region_code)
        application.state = State.SUBMITTED
        application.submitted_at = now
        application.due_at = now + application.sla()
        application.save()
        ApplicationEvent.objects.create(
            application=application, state=State.SUBMITTED, label=State.SUBMITTED.label
        )
