from django_tasks import task

from loket.inbox import media


@task()
def fetch_media(media_pk: int) -> str:
    return media.fetch(media_pk)
