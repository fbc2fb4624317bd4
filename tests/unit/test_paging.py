"""Page sizes and cursors: opaque, bound to one firm's partition, refused when tampered."""

import base64
import json

import pytest

from firmchat.domain.paging import DEFAULT_PAGE_SIZE, Listing, page_size
from firmchat.errors import InvalidInputError

ACCOUNT_LIST = Listing("firm-a", "FIRM#firm-a#ACCOUNT#acc-1#THREADS#ACTIVE", index="GSI1")
LAST_KEY = {
    "PK": "FIRM#firm-a#THREAD#t-9",
    "SK": "THREAD",
    "GSI1PK": "FIRM#firm-a#ACCOUNT#acc-1#THREADS#ACTIVE",
    "GSI1SK": "2025-01-02T03:04:05.000000Z#t-9",
}


def _forge(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("requested", "size"), [(None, 25), (25, 25), (50, 50), (100, 100), (250, 250)]
)
def test_the_offered_page_sizes(requested, size):
    assert page_size(requested) == size
    assert DEFAULT_PAGE_SIZE == 25


@pytest.mark.parametrize("requested", [0, 1, 24, 26, 99, 251, 1000, -25])
def test_any_other_page_size_is_refused_with_the_choices(requested):
    with pytest.raises(InvalidInputError, match="choose one of 25, 50, 100, 250"):
        page_size(requested)


def test_a_cursor_round_trips_and_reveals_no_plain_key():
    cursor = ACCOUNT_LIST.cursor(LAST_KEY)

    assert cursor is not None
    assert "firm-a" not in cursor
    assert "=" not in cursor
    assert ACCOUNT_LIST.start_key(cursor) == LAST_KEY


def test_no_last_key_means_no_cursor_and_no_cursor_means_the_first_page():
    assert ACCOUNT_LIST.cursor(None) is None
    assert ACCOUNT_LIST.cursor({}) is None
    assert ACCOUNT_LIST.start_key(None) is None


def test_a_cursor_of_another_list_is_refused():
    archived = Listing("firm-a", "FIRM#firm-a#ACCOUNT#acc-1#THREADS#ARCHIVED", index="GSI1")

    with pytest.raises(InvalidInputError, match="start again from the first page"):
        archived.start_key(ACCOUNT_LIST.cursor(LAST_KEY))


def test_a_cursor_cannot_be_replayed_by_another_firm():
    other = Listing("firm-b", "FIRM#firm-b#ACCOUNT#acc-1#THREADS#ACTIVE", index="GSI1")

    with pytest.raises(InvalidInputError):
        other.start_key(ACCOUNT_LIST.cursor(LAST_KEY))


@pytest.mark.parametrize(
    "tampered",
    [
        # the listed partition kept, the key moved to another firm's partition
        {"p": ACCOUNT_LIST.partition, "k": {**LAST_KEY, "GSI1PK": "FIRM#firm-b#ACCOUNT#x"}},
        {"p": ACCOUNT_LIST.partition, "k": {**LAST_KEY, "PK": "FIRM#firm-b#THREAD#t-1"}},
        # a firm id that merely starts like the caller's
        {"p": ACCOUNT_LIST.partition, "k": {**LAST_KEY, "PK": "FIRM#firm-ab#THREAD#t-1"}},
        # missing, extra or non-string key attributes
        {"p": ACCOUNT_LIST.partition, "k": {"PK": LAST_KEY["PK"], "SK": "THREAD"}},
        {"p": ACCOUNT_LIST.partition, "k": {**LAST_KEY, "secret": "x"}},
        {"p": ACCOUNT_LIST.partition, "k": {**LAST_KEY, "SK": {"S": "THREAD"}}},
        {"p": ACCOUNT_LIST.partition, "k": "PK"},
        {"p": ACCOUNT_LIST.partition},
        ["not", "an", "object"],
    ],
)
def test_a_tampered_cursor_is_refused(tampered):
    with pytest.raises(InvalidInputError, match="start again from the first page"):
        ACCOUNT_LIST.start_key(_forge(tampered))


@pytest.mark.parametrize("cursor", ["", "!!!", "not base64 at all", "e30", "a" * 3000, "////"])
def test_a_malformed_cursor_is_refused(cursor):
    with pytest.raises(InvalidInputError, match="start again from the first page"):
        ACCOUNT_LIST.start_key(cursor)


def test_a_table_listing_binds_the_table_partition():
    messages = Listing("firm-a", "FIRM#firm-a#THREAD#t-1")
    key = {"PK": "FIRM#firm-a#THREAD#t-1", "SK": "MSG#0000000042"}

    assert messages.start_key(messages.cursor(key)) == key
    with pytest.raises(InvalidInputError):
        messages.start_key(
            _forge({"p": messages.partition, "k": {**key, "PK": "FIRM#firm-a#THREAD#t-2"}})
        )


def test_a_listing_cannot_be_made_for_another_firms_partition():
    with pytest.raises(ValueError, match="own firm"):
        Listing("firm-a", "FIRM#firm-b#THREAD#t-1")


MESSAGES = Listing("firm-a", "FIRM#firm-a#THREAD#t-9", sort_prefix="MSG#")


@pytest.mark.parametrize(
    "key",
    [
        {"PK": "FIRM#firm-a#THREAD#t-9", "SK": "REQ#someone-elses-id"},
        {"PK": "FIRM#firm-a#THREAD#t-9", "SK": "MSG#" + "9" * 1100},
        {"PK": "FIRM#firm-a#THREAD#t-9", "SK": "MSG#\ud800"},
        {"PK": "FIRM#firm-a#THREAD#t-9", "SK": ""},
    ],
    ids=["outside the query's range", "longer than a key may be", "lone surrogate", "empty"],
)
def test_a_hand_made_cursor_outside_the_list_s_range_or_bounds_is_refused(key):
    forged = _forge({"p": MESSAGES.partition, "k": key})
    with pytest.raises(InvalidInputError, match="start again"):
        MESSAGES.start_key(forged)


def test_a_message_cursor_in_range_is_taken():
    key = {"PK": "FIRM#firm-a#THREAD#t-9", "SK": "MSG#0000000007"}
    assert MESSAGES.start_key(MESSAGES.cursor(key)) == key
