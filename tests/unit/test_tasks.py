"""The task rules that need no table: text sanitizing, reorder checks, what an update
message lists, and which events a change makes."""

from datetime import UTC, datetime

import pytest

from firmchat.domain.principal import PrincipalKind
from firmchat.domain.richtext import parse_task_text
from firmchat.domain.tasks import (
    StaleOrderError,
    Task,
    TaskList,
    TaskListNote,
    TaskOrder,
    checked_order,
    merged_note,
    task_events,
)
from firmchat.domain.threads import Author
from firmchat.errors import InvalidInputError

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
ADA = Author(user_id="c-ada", kind=PrincipalKind.CLIENT_USER, name="Ada")


def _task(task_id: str, done: bool = False) -> Task:
    return Task(
        task_id=task_id, html=task_id, text=task_id, done=done, created_by=ADA, created_at=NOW
    )


def _list(*tasks: Task, version: int = 1) -> TaskList:
    return TaskList(
        firm_id="f",
        thread_id="t",
        account_id="a",
        tasks=tasks,
        version=version,
        changed_by=ADA,
        changed_at=NOW,
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<script>x</script>", "scripts"),
        ('<b onclick="x">y</b>', "event-handler"),
        ('<a href="javascript:x">y</a>', "links may only use"),
        ("<p> </p>", "needs some text"),
        ("x" * 501, "at most 500"),
    ],
)
def test_a_task_text_with_anything_but_words_and_links_is_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        parse_task_text(text, 500)


def test_a_task_text_keeps_its_links_and_drops_other_markup() -> None:
    parsed = parse_task_text('<b>Sign</b> <a href="https://example.org/x">here</a>', 500)
    assert parsed.html.startswith('Sign <a href="https://example.org/x"')
    assert "<b>" not in parsed.html
    assert parsed.text == "Sign here (https://example.org/x)"


def test_a_reorder_must_be_of_the_order_seen_and_name_each_task_once() -> None:
    tasks = _list(_task("a"), _task("b"), _task("c"))
    assert checked_order(tasks, TaskOrder(seen=["a", "b", "c"], order=["c", "a", "b"])) == [
        "c",
        "a",
        "b",
    ]
    with pytest.raises(StaleOrderError) as stale:
        checked_order(tasks, TaskOrder(seen=["b", "a", "c"], order=["a", "b", "c"]))
    assert stale.value.current == ["a", "b", "c"]
    for order, problem in ((["a", "a", "b"], "twice"), (["a", "b"], "leaves out")):
        with pytest.raises(InvalidInputError, match=problem):
            checked_order(tasks, TaskOrder(seen=["a", "b", "c"], order=order))


def test_an_update_folds_created_and_completed_and_forgets_what_was_undone() -> None:
    note = TaskListNote(seq=2, client_id="tasks-1", created_at=NOW, author_id="u")
    note = merged_note(note, "created", ["a", "b"], all_done=False)
    note = merged_note(note, "completed", ["a"], all_done=False)
    note = merged_note(note, "reopened", ["a"], all_done=False)
    note = merged_note(note, "deleted", ["b"], all_done=False)
    assert (note.created, note.completed) == (("a",), ())


def test_a_change_makes_one_event_per_task_changed_and_one_when_all_are_done() -> None:
    before = _list(_task("a"), _task("b", done=True), _task("c"), version=3)
    after = _list(_task("a", done=True), _task("b", done=True), _task("d"), version=4)
    kinds = [event.detail_type for event in task_events(before, after)]
    assert kinds == ["Task completed", "Task created", "Task deleted"]
    done = _list(_task("a", done=True), _task("b", done=True), version=5)
    events = task_events(after, done)
    assert [event.detail_type for event in events] == ["Task deleted", "All tasks completed"]
    assert events[-1].detail["done"] == 2
    assert task_events(done, done.model_copy(update={"version": 6})) == []
