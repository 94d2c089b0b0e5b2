"""The one answer to "how is this service run right now?", asked by the bot, pages and bookings."""

import datetime as dt
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils import timezone

from loket.catalog import versioning
from loket.catalog.models import (
    Mode,
    Office,
    OfficeService,
    PolicyRule,
    Service,
    ServicePolicy,
)
from loket.core import memo

T = TypeVar("T")
NOT_OFFERED = "Layanan ini tidak dilayani di {office}."


@dataclass(frozen=True)
class ServiceStatus:
    service: Service
    mode: str
    message: str = ""
    alternative: str = ""
    purposes: list[str] = field(default_factory=list)
    policy: ServicePolicy | None = None
    until: dt.datetime | None = None
    offered: bool = True  # False: this office does not offer the service at all
    note: str = ""  # the office's own note on the service (OfficeService.note)

    @property
    def mode_label(self) -> str:
        return Mode(self.mode).label

    @property
    def can_apply_online(self) -> bool:
        """An online application is possible for every open service that needs no presence."""
        return self.mode != Mode.SUSPENDED and not self.service.needs_presence

    @property
    def is_suspended(self) -> bool:
        return self.mode == Mode.SUSPENDED

    @property
    def in_person(self) -> bool:
        """Whether the counter serves this service at all (for everyone or listed purposes)."""
        return self.mode in (Mode.NORMAL, Mode.LIMITED)


def policy_in_force(office: Office, at: dt.datetime | None = None) -> ServicePolicy | None:
    """The most recently started policy of `office` that is in force at `at` (default now)."""
    if at is None and memo.active():
        published = _shared(
            ("policies", office.pk),
            lambda: list(ServicePolicy.objects.filter(office=office, is_draft=False)),
        )
        return memo.remember(("policy", office.pk), lambda: _in_force(published, timezone.now()))
    return _policy_at(office, at or timezone.now())


def _policy_at(office: Office, at: dt.datetime) -> ServicePolicy | None:
    return (
        ServicePolicy.objects.filter(office=office, starts_at__lte=at, is_draft=False)
        .exclude(ends_at__lte=at)
        .order_by("-starts_at", "-id")
        .first()
    )


def _in_force(published: list[ServicePolicy], at: dt.datetime) -> ServicePolicy | None:
    """`_policy_at` over policies already read."""
    running = [p for p in published if p.starts_at <= at and (p.ends_at is None or p.ends_at > at)]
    return max(running, key=lambda p: (p.starts_at, p.pk), default=None)


def _rules(policy: ServicePolicy) -> dict[int, PolicyRule]:
    """The policy's rules by service id."""
    return _shared(
        ("rules", policy.pk),
        lambda: {r.service_id: r for r in PolicyRule.objects.filter(policy=policy)},
    )


def _offerings(office: Office) -> dict[int, OfficeService]:
    """The office's own settings per service, by service id."""
    return _shared(
        ("offerings", office.pk),
        lambda: {o.service_id: o for o in OfficeService.objects.filter(office=office)},
    )


# The process's copy, for `memo.memoized()` blocks (a worker's batches): kept while the catalog
# version (catalog/versioning.py, read once per block) has not moved since it was read.
_process: dict = {"version": None, "values": {}}
_process_lock = threading.Lock()


def _shared(key: Hashable, compute: Callable[[], T]) -> T:
    """Outside a block: `compute()`. Inside: from the process's copy when the catalog has not
    changed since it was read (one primary-key read per block), else read anew."""
    if not memo.active():
        return compute()
    version = memo.remember("catalog-version", versioning.current)
    with _process_lock:
        if _process["version"] != version:
            _process["version"], _process["values"] = version, {}
        values = _process["values"]
        if key in values:
            return values[key]
    value = compute()
    with _process_lock:
        if _process["version"] == version:
            values[key] = value
    return value


def _status(
    service: Service,
    policy: ServicePolicy | None,
    rule: PolicyRule | None,
    offering: OfficeService | None = None,
    office: Office | None = None,
) -> ServiceStatus:
    """A service without a rule in the policy in force (or with no policy) runs normally; one
    the office does not offer (its OfficeService says so) is suspended there, with its note."""
    until = policy.ends_at if policy else None
    note = offering.note if offering else ""
    if offering is not None and not offering.offered:
        return ServiceStatus(
            service=service,
            mode=Mode.SUSPENDED,
            message=NOT_OFFERED.format(office=office or offering.office),
            alternative=note,
            offered=False,
        )
    if rule is None:
        return ServiceStatus(
            service=service, mode=Mode.NORMAL, policy=policy, until=until, note=note
        )
    return ServiceStatus(
        service=service,
        mode=rule.mode,
        message=rule.message,
        alternative=rule.alternative,
        purposes=list(rule.purposes),
        policy=policy,
        until=until,
        note=note,
    )


def offering_of(office: Office, service: Service) -> OfficeService | None:
    return _offerings(office).get(service.pk)


def offered_services(office: Office):
    """The catalog's services this office offers, in catalog order (a queryset)."""
    return Service.objects.exclude(
        pk__in=OfficeService.objects.filter(office=office, offered=False).values("service_id")
    )


def service_status(
    office: Office, service: Service, at: dt.datetime | None = None
) -> ServiceStatus:
    """How `service` runs at `office` at `at` (default now), under the policy in force."""
    policy = policy_in_force(office, at)
    rule = _rules(policy).get(service.pk) if policy is not None else None
    return _status(service, policy, rule, offering_of(office, service), office)


def status_under(policy: ServicePolicy | None, service: Service) -> ServiceStatus:
    """How `service` would run under `policy` (published or a draft), for previews."""
    rule = None
    if policy is not None:
        rule = PolicyRule.objects.filter(policy=policy, service=service).first()
    offering = offering_of(policy.office, service) if policy is not None else None
    return _status(service, policy, rule, offering, policy.office if policy else None)


def all_statuses(office: Office, at: dt.datetime | None = None) -> list[ServiceStatus]:
    """Every service's status under the policy in force, in catalog order (four queries)."""
    policy = policy_in_force(office, at)
    rules = _rules(policy) if policy is not None else {}
    offerings = _offerings(office)
    return [
        _status(service, policy, rules.get(service.pk), offerings.get(service.pk), office)
        for service in all_services()
    ]


def all_services() -> list[Service]:
    """The catalog's services in catalog order."""
    return _shared("services", lambda: list(Service.objects.all()))


def service_named(code: str) -> Service | None:
    """The catalog's service with this code, or None."""
    return next((s for s in all_services() if s.code == code), None)
