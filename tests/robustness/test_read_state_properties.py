"""Read and unread accounting under any sequence of posts and reads: each person's unread in
a thread is the messages after the last they read or wrote, and the account's unread is the
sum over its threads, whatever the order."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.conftest import ACCOUNT, new_message, new_thread

PEOPLE = ("owner", "member", "anna", "ben")
steps = st.lists(
    st.tuples(st.sampled_from(["post", "read"]), st.sampled_from(PEOPLE), st.integers(0, 1)),
    max_size=12,
)


def _explore(examples: int):
    """The property, tried on `examples` generated sequences (moto copies the whole table
    on each transaction, so each example costs more than the one before)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@_explore(5)
@given(steps)
def test_unread_counts_follow_every_post_and_read(new_firm, actions):
    check_unread(new_firm(), actions)


@pytest.mark.slow
@_explore(30)
@given(steps)
def test_unread_counts_follow_every_post_and_read_at_length(new_firm, actions):
    check_unread(new_firm(), actions)


def check_unread(firm, actions) -> None:
    owner = firm.people["owner"]
    thread_ids = [firm.threads.create(owner, new_thread(f"T{n}"))[0].thread_id for n in (0, 1)]
    seq = [1, 1]
    read = {who: [0, 0] for who in PEOPLE}
    read["owner"] = [1, 1]  # the author has read what they wrote
    for action, who, thread in actions:
        person, thread_id = firm.people[who], thread_ids[thread]
        if action == "post":
            firm.messages.post(person, thread_id, new_message())
            seq[thread] += 1
            read[who][thread] = seq[thread]
        else:
            firm.messages.mark_read(person, thread_id)
            read[who][thread] = seq[thread]

    for who in PEOPLE:
        person = firm.people[who]
        expected = [seq[n] - read[who][n] for n in (0, 1)]
        assert [firm.threads.get(person, thread_id).unread for thread_id in thread_ids] == expected
        (account,) = firm.threads.accounts(person, "all", 25, None).items
        assert (account.account_id, account.unread) == (ACCOUNT, sum(expected))
        unread_tab = firm.threads.accounts(person, "unread", 25, None).items
        assert [row.account_id for row in unread_tab] == ([ACCOUNT] if sum(expected) else [])
