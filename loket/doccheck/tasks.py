from django_tasks import task

from loket.doccheck import checks


@task()
def run_check(check_pk: int) -> str:
    return checks.run(check_pk)
