from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loket.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from loket.core import checks  # noqa: F401  (registers system checks)

        # Pillow refuses (error at twice this) images whose header claims more pixels
        Image.MAX_IMAGE_PIXELS = settings.LOKET_MAX_IMAGE_PIXELS
        _restrict_data_files(settings)
        from django_tasks.signals import task_enqueued

        from loket.core.wake import on_task_enqueued

        task_enqueued.connect(on_task_enqueued, dispatch_uid="loket-wake")


def _restrict_data_files(settings) -> None:
    """Files made before the umask was set (an older install) are closed to other users too."""
    from loket.core.files import restrict_permissions

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            restrict_permissions(f"{database['NAME']}{suffix}")
    for name in ("secret_key", "encryption_key", "simulator_app_secret"):
        restrict_permissions(settings.DATA_DIR / name)
