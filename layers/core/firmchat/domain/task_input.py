"""What a request may say of a client task (TK-1), kept apart from the task models so a
new thread's request (`NewThread.tasks`, CH-3) can hold tasks too."""

import uuid
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from firmchat.domain.text import ClientId, Encodable

MAX_TASKS: Final = 50
"""Tasks one thread holds: a checklist a client can take in, and a list item far below
DynamoDB's 400 KB (50 x 2 KB of text)."""
MAX_TASK_CHARACTERS: Final = 500
"""Of a task's text as a person reads it (links count with their text only)."""
MAX_TASK_HTML: Final = 2000
"""Of a task's text as sent, markup and addresses included."""

TaskText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TASK_HTML),
    Encodable,
    Field(description="plain text that may hold links (<a href>); no other markup"),
]


class NewTask(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "task_id": "task-w2-2026",
                    "text": 'Upload your W-2 (<a href="https://example.org/w2">how</a>)',
                }
            ]
        },
    )

    task_id: ClientId | None = Field(
        default=None, description="chosen by the caller so a retry adds nothing twice"
    )
    text: TaskText

    def chosen_id(self, index: int, request_id: str) -> str:
        return self.task_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{request_id}/{index}"))


NewTasks = Annotated[list[NewTask], Field(max_length=MAX_TASKS)]
