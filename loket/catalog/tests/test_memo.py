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
    with memoized(), django_assert_max_num_queries(5):  # the version, then one read each
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


def test_a_later_block_reuses_the_process_copy_until_the_catalog_changes(
    office, django_assert_num_queries
):
    rekam = Service.objects.get(code="ktp-rekam")
    with memoized():
        assert service_status(office, rekam).mode == Mode.SUSPENDED
        all_statuses(office)
    with memoized(), django_assert_num_queries(1):  # only the catalog version
        assert service_status(office, rekam).mode == Mode.SUSPENDED
        statuses = all_statuses(office)
    assert len(statuses) == Service.objects.count()
    rule = ServicePolicy.objects.get(office=office, is_draft=False).rules.get(service=rekam)
    rule.mode = Mode.ONLINE_ONLY
    rule.save()  # any saved change moves the version
    with memoized():
        assert service_status(office, rekam).mode == Mode.ONLINE_ONLY


def test_a_rolled_back_change_never_brings_back_a_stale_copy(office):
    from django.db import transaction

    rekam = Service.objects.get(code="ktp-rekam")
    rule = ServicePolicy.objects.get(office=office, is_draft=False).rules.get(service=rekam)
    with memoized():
        assert service_status(office, rekam).mode == Mode.SUSPENDED
    try:
        with transaction.atomic():
            rule.mode = Mode.NORMAL
            rule.save()
            with memoized():  # a worker reading inside that transaction caches it
                assert service_status(office, rekam).mode == Mode.NORMAL
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    with memoized():
        assert service_status(office, rekam).mode == Mode.SUSPENDED
