"""Every DynamoDB key the product writes, built in one place.

Each partition key starts with the firm: no key can name an item outside the caller's firm.
See docs/data-model.md for the access patterns these keys serve.
"""

PROFILE = "PROFILE"


def firm_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}"


def tickets_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}#TICKETS"


def ticket_sort_key(secret_digest: str) -> str:
    return f"TICKET#{secret_digest}"


def ticket_rate_sort_key(subject: str, minute: int) -> str:
    """Counts the tickets one person was issued in one minute (since the epoch)."""
    return f"RATE#{subject}#{minute}"


def open_sockets_partition(firm_id: str) -> str:
    """One item per person: the ids of their open sockets, at most a few."""
    return f"FIRM#{firm_id}#SOCKETS"


def open_sockets_sort_key(subject: str) -> str:
    return f"SUB#{subject}"


def connections_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}#CONNECTIONS"


def subject_connections_prefix(subject: str) -> str:
    """Connections sort under their subject, so one person's sockets are one key range."""
    return f"SUB#{subject}#CONN#"


def connection_sort_key(subject: str, connection_id: str) -> str:
    return f"{subject_connections_prefix(subject)}{connection_id}"


# ---------------------------------------------------------------- people


def firm_user_partition(firm_id: str, user_id: str) -> str:
    """A firm user's item collection: the profile and one item per assigned account."""
    return f"FIRM#{firm_id}#USER#{user_id}"


def firm_users_index(firm_id: str) -> str:
    """GSI1 partition listing the firm's users."""
    return f"FIRM#{firm_id}#USERS"


def user_sort_key(user_id: str) -> str:
    return f"USER#{user_id}"


def assignment_sort_key(account_id: str) -> str:
    return f"ASSIGN#{account_id}"


def account_assignees_index(firm_id: str, account_id: str) -> str:
    """GSI1 partition listing the members assigned to one account."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}#ASSIGNEES"


def account_partition(firm_id: str, account_id: str) -> str:
    """A client account's item collection: the profile and its contacts."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}"


def accounts_index(firm_id: str) -> str:
    """GSI1 partition listing the firm's client accounts."""
    return f"FIRM#{firm_id}#ACCOUNTS"


def account_sort_key(account_id: str) -> str:
    return f"ACCOUNT#{account_id}"


def contact_sort_key(contact_id: str) -> str:
    return f"CONTACT#{contact_id}"


def logins_partition(firm_id: str) -> str:
    """Where a verified subject is mapped to the one record it signs in as."""
    return f"FIRM#{firm_id}#LOGINS"


def login_sort_key(subject: str) -> str:
    return f"LOGIN#{subject}"


def invitations_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}#INVITATIONS"


def invitation_sort_key(secret_digest: str) -> str:
    return f"INVITE#{secret_digest}"


def resets_partition(firm_id: str) -> str:
    """Pending password reset links, by the digest of their secret."""
    return f"FIRM#{firm_id}#RESETS"


def reset_sort_key(secret_digest: str) -> str:
    return f"RESET#{secret_digest}"


# ---------------------------------------------------------------- threads and messages
# docs/data-model.md, "Threads and messages".

THREAD = "THREAD"
MESSAGE_PREFIX = "MSG#"


def thread_partition(firm_id: str, thread_id: str) -> str:
    """A thread's item collection: the thread, its messages, client ids and readers."""
    return f"FIRM#{firm_id}#THREAD#{thread_id}"


def message_sort_key(seq: int) -> str:
    return f"{MESSAGE_PREFIX}{seq:010d}"


def client_message_sort_key(client_id: str) -> str:
    return f"REQ#{client_id}"


READER_PREFIX = "READ#"


def reader_sort_key(user_id: str) -> str:
    return f"{READER_PREFIX}{user_id}"


INBOX_REFERENCE_PREFIX = "INBOX#"


def inbox_reference_sort_key(person_id: str) -> str:
    """Names, in the thread's partition, a person holding an inbox entry of the thread, so
    the thread's purge finds the entry (and the person's emailed mark) and takes it too."""
    return f"{INBOX_REFERENCE_PREFIX}{person_id}"


def typing_sort_key(user_id: str) -> str:
    """Until when a person's typing signal in the thread is not relayed again."""
    return f"TYPING#{user_id}"


def account_threads_index(firm_id: str, account_id: str, status: str) -> str:
    """GSI1 partition: one account's threads of one status, newest activity last."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}#THREADS#{status.upper()}"


TASKS = "TASKS"
"""Sort key of a thread's task list, in the thread's partition."""


def account_task_threads_index(firm_id: str, account_id: str, status: str) -> str:
    """GSI3 partition, sparse: one account's threads of one status that have tasks."""
    return f"{account_threads_index(firm_id, account_id, status)}#TASKS"


def account_task_state_index(firm_id: str, account_id: str, status: str, done: bool) -> str:
    """GSI4 partition, sparse: those of them whose tasks are all done (or not)."""
    return f"{account_task_threads_index(firm_id, account_id, status)}#{'DONE' if done else 'OPEN'}"


def firm_threads_index(firm_id: str, status: str) -> str:
    """GSI2 partition: the firm's threads of one status."""
    return f"FIRM#{firm_id}#THREADS#{status.upper()}"


def activity_sort_key(at: str, thread_id: str) -> str:
    return f"{at}#{thread_id}"


def chat_accounts_partition(firm_id: str) -> str:
    """One summary item per account that has threads (counts for the account filter)."""
    return f"FIRM#{firm_id}#CHATACCOUNTS"


def account_reads_partition(firm_id: str, user_id: str) -> str:
    """One item per account: how many of its messages the user has read."""
    return f"FIRM#{firm_id}#READS#{user_id}"


# ---------------------------------------------------------------- documents
# docs/data-model.md, "Documents". Folders sit in the account's collection, documents in
# their thread's, so a thread's purge takes its documents with it.

FOLDER_PREFIX = "FOLDER#"
DOCUMENT_PREFIX = "DOC#"


def folder_sort_key(folder_id: str) -> str:
    return f"{FOLDER_PREFIX}{folder_id}"


def document_sort_key(document_id: str) -> str:
    return f"{DOCUMENT_PREFIX}{document_id}"


def firm_of_partition(partition: str) -> str | None:
    """The firm id every firm's partition key starts with (None for any other key)."""
    firm, _, rest = partition.partition("#")
    return rest.split("#", 1)[0] if firm == "FIRM" and rest else None


def thread_of_partition(partition: str) -> tuple[str, str]:
    """(firm id, thread id) of a thread partition key."""
    firm, firm_id, thread, thread_id = partition.split("#", 3)
    if (firm, thread) != ("FIRM", "THREAD"):
        raise ValueError(f"not a thread partition: {partition!r}")
    return firm_id, thread_id


# ---------------------------------------------------------------- notifications


def deliveries_partition(firm_id: str, event_id: str) -> str:
    """The marks of one event's notifications: one item per recipient once it is sent."""
    return f"FIRM#{firm_id}#NOTIFY#{event_id}"


def delivery_sort_key(recipient: str) -> str:
    return f"TO#{recipient}"


def inbox_partition(firm_id: str, person_id: str) -> str:
    """One person's notification entries, one per thread (NT-2, NT-3)."""
    return f"FIRM#{firm_id}#INBOX#{person_id}"


def inbox_sort_key(thread_id: str) -> str:
    return f"THREAD#{thread_id}"


def inbox_recent_index(firm_id: str, person_id: str) -> str:
    """GSI1 partition: every entry of the person, by the time of its last activity."""
    return f"FIRM#{firm_id}#INBOX#{person_id}#RECENT"


def inbox_unread_index(firm_id: str, person_id: str) -> str:
    """GSI2 partition, sparse: only the entries with unread activity, by time."""
    return f"FIRM#{firm_id}#INBOX#{person_id}#UNREAD"


NOTIFICATION_PREFERENCES = "PREFERENCES"
"""Sort key of a firm user's notification preferences, in their inbox partition."""


def emailed_sort_key(thread_id: str) -> str:
    """The firm user's debounce mark of one thread: the last message they were emailed of."""
    return f"EMAILED#{thread_id}"


def link_partition(firm_id: str, secret_digest: str) -> str:
    """A link token handed to a contact in an email (unsubscribe, reply): by its digest."""
    return f"FIRM#{firm_id}#LINK#{secret_digest}"


LINK = "LINK"


def email_group_partition(firm_id: str, thread_id: str) -> str:
    """The bursts of client emails of one thread: one item per contact (grouping)."""
    return f"FIRM#{firm_id}#GROUP#{thread_id}"


def reply_answers_partition(firm_id: str, thread_id: str) -> str:
    """The kind answers to replies by email about one thread: one item per sender and day."""
    return f"FIRM#{firm_id}#ANSWERED#{thread_id}"


def reply_answer_sort_key(sender_digest: str, day: str) -> str:
    return f"FROM#{sender_digest}#{day}"
