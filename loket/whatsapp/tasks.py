from django_tasks import task

from loket.whatsapp import inbound, outbox


@task()
def process_inbound(message_ids: list[int]) -> None:
    inbound.process(message_ids)


@task()
def apply_statuses(event_ids: list[int]) -> None:
    outbox.apply_statuses(event_ids)


@task()
def deliver(message_id: int) -> str:
    return outbox.deliver(message_id)
