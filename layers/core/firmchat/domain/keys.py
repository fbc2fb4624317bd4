"""Every DynamoDB key the product writes, built in one place.

Each partition key starts with the firm: no key can name an item outside the caller's firm.
"""


def firm_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}"


def tickets_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}#TICKETS"


def ticket_sort_key(secret_digest: str) -> str:
    return f"TICKET#{secret_digest}"


def connections_partition(firm_id: str) -> str:
    return f"FIRM#{firm_id}#CONNECTIONS"


def connection_sort_key(connection_id: str) -> str:
    return f"CONN#{connection_id}"
