"""Threads, messages and read state as items of the chat table (docs/data-model.md,
"Threads and messages"): keys, items and the models read back from them."""

from collections.abc import Mapping
from typing import Any

from firmchat.adapters.dynamo import Item, plain
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.threads import DeletedThread, Message, ReadState, Thread


def thread_key(thread: Thread) -> dict[str, str]:
    return {"PK": keys.thread_partition(thread.firm_id, thread.thread_id), "SK": keys.THREAD}


def thread_item(thread: Thread) -> Item:
    at = thread.last_activity_at.isoformat()
    return {
        **thread_key(thread),
        "GSI1PK": keys.account_threads_index(thread.firm_id, thread.account_id, thread.status),
        "GSI1SK": keys.activity_sort_key(at, thread.thread_id),
        "GSI2PK": keys.firm_threads_index(thread.firm_id, thread.status),
        "GSI2SK": keys.activity_sort_key(at, thread.thread_id),
        **task_index_keys(thread),
        "kind": ItemKind.THREAD.value,
        **thread.model_dump(mode="json"),
        "mentioned_user_ids": sorted(thread.mentioned_user_ids),
    }


def task_index_keys(thread: Thread) -> dict[str, str]:
    """The sparse task-filter keys (CH-8) of a thread with tasks; none without. Both indexes
    sort on GSI1SK, so every message that moves the thread moves it there too."""
    if not thread.tasks_total:
        return {}
    status = thread.status.value
    return {
        "GSI3PK": keys.account_task_threads_index(thread.firm_id, thread.account_id, status),
        "GSI4PK": keys.account_task_state_index(
            thread.firm_id,
            thread.account_id,
            status,
            done=thread.tasks_done == thread.tasks_total,
        ),
    }


def deleted_thread_item(thread: Thread) -> Item:
    """The item a deleted thread's becomes: every read of it is a 404 from then on."""
    return {
        **thread_key(thread),
        "kind": ItemKind.DELETED_THREAD.value,
        **DeletedThread(
            firm_id=thread.firm_id, thread_id=thread.thread_id, account_id=thread.account_id
        ).model_dump(mode="json"),
    }


def message_item(thread: Thread, message: Message) -> Item:
    return {
        "PK": keys.thread_partition(thread.firm_id, thread.thread_id),
        "SK": keys.message_sort_key(message.seq),
        "kind": ItemKind.MESSAGE.value,
        **message.model_dump(mode="json"),
        "mentions": sorted(message.mentions),
    }


def client_message_item(thread: Thread, message: Message, digest: str, write_id: str) -> Item:
    """The client-supplied id of a message, kept so a retried post is answered, not doubled;
    `write_id` names the call that wrote it, so only that call answers 201 and pushes."""
    return {
        "PK": keys.thread_partition(thread.firm_id, thread.thread_id),
        "SK": keys.client_message_sort_key(message.client_id),
        "kind": ItemKind.CLIENT_MESSAGE_ID.value,
        "seq": message.seq,
        "digest": digest,
        "write_id": write_id,
    }


def read_state_item(thread: Thread, user_id: str, seq: int) -> Item:
    return {
        "PK": keys.thread_partition(thread.firm_id, thread.thread_id),
        "SK": keys.reader_sort_key(user_id),
        "kind": ItemKind.READ_STATE.value,
        "seq": seq,
    }


def deleted_thread_from_item(item: Mapping[str, Any]) -> DeletedThread:
    return DeletedThread.model_validate(plain(dict(item)))


def thread_from_item(item: Mapping[str, Any]) -> Thread:
    return Thread.model_validate(plain(dict(item)))


def message_from_item(item: Mapping[str, Any]) -> Message:
    return Message.model_validate(plain(dict(item)))


def read_state_from_item(item: Mapping[str, Any]) -> ReadState:
    _, thread_id = keys.thread_of_partition(str(item["PK"]))
    user_id = str(item["SK"]).removeprefix(keys.READER_PREFIX)
    return ReadState(thread_id=thread_id, user_id=user_id, seq=int(item["seq"]))
