from django_tasks import task

from loket.whatsapp import inbound, outbox


@task()
def process_inbound(wa_message_ids: list[str]) -> None:
    inbound.process(wa_message_ids)


@task()
def apply_statuses(wa_message_ids: list[str]) -> None:
    outbox.apply_statuses(wa_message_ids)


@task()
def deliver(message_id: int) -> str:
    return outbox.deliver(message_id)
