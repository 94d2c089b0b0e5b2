"""Two submissions of one application at the same moment (a double tap on a slow phone)."""

import threading

import pytest
from django.db import connection

from loket.applications.models import Application, ApplicationEvent, State
from loket.applications.tests.conftest import akta_form, link_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_submits_send_the_application_once(client, contact):
    client.post(link_path(contact), akta_form(action="save"))
    application = Application.objects.get(contact=contact)
    results, barrier = [], threading.Barrier(2)

    def tap():
        barrier.wait()
        try:
            results.append(Application.objects.get(pk=application.pk).submit())
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.ticket
    assert ApplicationEvent.objects.filter(application=application).count() == 1
