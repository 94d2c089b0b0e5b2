"""Catalog and policy read once per unit of work (a worker's batch), never longer."""

import datetime as dt

import pytest
from django.utils import timezone

from loket.catalog.models import Mode, Service, ServicePolicy
from loket.catalog.policy import all_statuses, service_named, service_status
from loket.core.memo import memoized

pytestmark = pytest.mark.django_db


def test_inside_a_block_each_question_is_asked_of_the_database_once(
    office, django_assert_max_num_queries
):
    services = list(Service.objects.all())
    with memoized(), django_assert_max_num_queries(4):
        for _ in range(50):
            for service in services[:3]:
                service_status(office, service)
            assert service_named("akta-lahir").code == "akta-lahir"
            all_statuses(office)


def test_the_answers_inside_a_block_are_the_answers_outside_it(office):
    outside = [(s.service.code, s.mode, s.purposes, s.offered) for s in all_statuses(office)]
    with memoized():
        inside = [(s.service.code, s.mode, s.purposes, s.offered) for s in all_statuses(office)]
        one_by_one = [
            (s.code, *(lambda st: (st.mode, st.purposes, st.offered))(service_status(office, s)))
            for s in Service.objects.all()
        ]
    assert inside == outside == one_by_one
    assert service_named("no-such-service") is None


def test_a_policy_saved_after_a_block_is_seen_by_the_next_block(office):
    rekam = Service.objects.get(code="ktp-rekam")
    with memoized():
        assert service_status(office, rekam).mode == Mode.SUSPENDED
    newer = ServicePolicy.objects.create(
        office=office, name="Rekam dibuka", starts_at=timezone.now() - dt.timedelta(minutes=1)
    )
    newer.rules.create(service=rekam, mode=Mode.NORMAL)
    with memoized():
        assert service_status(office, rekam).mode == Mode.NORMAL
    # outside any block: read every time
    newer.rules.update(mode=Mode.ONLINE_ONLY)
    assert service_status(office, rekam).mode == Mode.ONLINE_ONLY


def test_a_status_asked_for_another_moment_is_not_remembered(office):
    rekam = Service.objects.get(code="ktp-rekam")
    later = timezone.now() + dt.timedelta(days=10)
    with memoized():
        assert service_status(office, rekam).mode == Mode.SUSPENDED
        assert service_status(office, rekam, later).mode == Mode.NORMAL
        assert service_status(office, rekam).mode == Mode.SUSPENDED
