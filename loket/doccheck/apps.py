from django.apps import AppConfig


class DoccheckConfig(AppConfig):
    name = "loket.doccheck"
    label = "doccheck"
    verbose_name = "Pemeriksaan foto dokumen"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from loket.applications.models import Document
        from loket.doccheck import checks

        # every requirement photo, whoever stored it (the citizen's form, staff attaching a
        # WhatsApp photo), gets one check: applications needs not know this app exists
        post_save.connect(checks.document_saved, sender=Document, dispatch_uid="doccheck")
