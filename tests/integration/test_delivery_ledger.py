"""The delivery ledger in the chat table: a mark is claimed once; a claim whose sender died
(its lease ran out) may be claimed again; a sent mark never."""

from datetime import UTC, datetime, timedelta

from firmchat.adapters.deliveries import LEASE_SECONDS, DynamoDeliveryLedger
from firmchat.root import Root
from testkit.fakes import FakeClock

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_claims_leases_and_sent_marks(core_settings):
    clock = FakeClock(START)
    ledger = DynamoDeliveryLedger(Root().table, clock)

    assert ledger.claim("f", "message#t#1", "ada") is True
    assert ledger.claim("f", "message#t#1", "ada") is False
    assert ledger.claim("f", "message#t#1", "bea") is True

    clock.at = START + timedelta(seconds=LEASE_SECONDS + 1)
    assert ledger.claim("f", "message#t#1", "ada") is True  # the first sender died mid-way
    ledger.confirm("f", "message#t#1", "ada")

    clock.at = START + timedelta(days=1)
    assert ledger.claim("f", "message#t#1", "ada") is False
    ledger.release("f", "message#t#1", "bea")
    assert ledger.claim("f", "message#t#1", "bea") is True
