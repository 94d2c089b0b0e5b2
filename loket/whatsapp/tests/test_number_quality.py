"""The number's quality and messaging limit: webhook and Graph read, idempotent and in order."""

import pytest
from django.utils import timezone

from loket.whatsapp import account, management
from loket.whatsapp.models import BusinessNumber, RejectedWebhookItem
from loket.whatsapp.tests.accountevents import WABA, post_account_change

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def waba(settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA


def quality_change(office, event: str, limit: str = "", **extra) -> dict:
    value = {"display_phone_number": office.whatsapp_display_number, "event": event, **extra}
    if limit:
        value["current_limit"] = limit
    return value


def number(office) -> BusinessNumber:
    return BusinessNumber.objects.get(office=office)


def test_a_limit_upgrade_is_stored_and_a_redelivery_changes_nothing(client, office):
    now = int(timezone.now().timestamp())
    change = quality_change(office, "UPGRADE", "TIER_10K", old_limit="TIER_1K")
    assert (
        post_account_change(client, "phone_number_quality_update", change, time=now).content
        == b"ok"
    )
    assert (number(office).messaging_limit, number(office).daily_limit) == ("TIER_10K", 10_000)
    first = number(office).limit_at
    assert (
        post_account_change(client, "phone_number_quality_update", change, time=now).status_code
        == 200
    )
    assert number(office).messaging_limit == "TIER_10K" and number(office).limit_at == first
    assert BusinessNumber.objects.count() == 1


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(client, office):
    now = int(timezone.now().timestamp())
    post_account_change(
        client, "phone_number_quality_update", quality_change(office, "FLAGGED"), time=now
    )
    post_account_change(
        client,
        "phone_number_quality_update",
        quality_change(office, "DOWNGRADE", "TIER_250"),
        time=now,
    )
    # an hour-old UNFLAGGED and UPGRADE, redelivered late by Meta
    post_account_change(
        client, "phone_number_quality_update", quality_change(office, "UNFLAGGED"), time=now - 3600
    )
    post_account_change(
        client,
        "phone_number_quality_update",
        quality_change(office, "UPGRADE", "TIER_1K"),
        time=now - 3600,
    )
    row = number(office)
    assert row.quality_rating == "RED" and row.messaging_limit == "TIER_250"
    post_account_change(
        client, "phone_number_quality_update", quality_change(office, "UNFLAGGED"), time=now + 60
    )
    assert number(office).quality_rating == "GREEN"


def test_the_newer_limit_field_wins_and_unlimited_means_no_cap(client, office):
    change = quality_change(
        office,
        "THROUGHPUT_UPGRADE",
        "TIER_10K",
        max_daily_conversations_per_business="TIER_UNLIMITED",
    )
    post_account_change(client, "phone_number_quality_update", change)
    row = number(office)
    assert row.messaging_limit == "TIER_UNLIMITED" and row.unlimited and row.daily_limit is None


def test_a_change_for_another_account_is_acknowledged_and_ignored(client, office):
    other = quality_change(office, "DOWNGRADE", "TIER_50") | {"display_phone_number": "15550001"}
    assert (
        post_account_change(client, "phone_number_quality_update", other, waba="999").status_code
        == 200
    )
    assert not BusinessNumber.objects.filter(messaging_limit="TIER_50").exists()


def test_a_malformed_change_is_kept_as_rejected_not_applied(client, office):
    assert (
        post_account_change(client, "phone_number_quality_update", {"event": "?"}).status_code
        == 200
    )
    [rejected] = RejectedWebhookItem.objects.all()
    assert "without a limit" in rejected.reason
    assert not BusinessNumber.objects.exclude(messaging_limit="").exists()


def test_the_rating_is_read_from_the_graph_api(office, fake_graph):
    fake_graph.set_number(office.phone_number_id, "YELLOW", "TIER_2K")
    row = account.refresh_number(office)
    assert (row.quality_rating, row.messaging_limit, row.daily_limit) == ("YELLOW", "TIER_2K", 2000)


def test_a_graph_error_on_the_read_is_a_graph_error(office, fake_graph):
    fake_graph.token = "another-token"  # ours is refused: 190
    with pytest.raises(management.GraphError) as caught:
        account.refresh_number(office)
    assert caught.value.code == "190" and not caught.value.retryable
