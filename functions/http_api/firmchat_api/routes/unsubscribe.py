"""One-click unsubscribe from client emails (RFC 8058): public, the token is the key. The
GET shows what the POST would do and changes nothing; the POST turns notify off. Its
answers are pages for people, a forged or expired link's 404 too: the one exception to the
API's problem bodies (docs/api-errors.md)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from firmchat.emails import render_page
from firmchat.errors import NotFoundError
from firmchat.services.unsubscribe import Subscription
from firmchat_api.openapi import PUBLIC, only_problems
from firmchat_api.wiring import unsubscribes

router = APIRouter(tags=["notifications"])

_PAGES: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "The link is not valid: a page saying so",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
}
Token = Annotated[str, Path(min_length=3, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")]


def _page(layout: str, title: str, found: Subscription) -> HTMLResponse:
    return HTMLResponse(
        render_page(
            layout,
            title,
            firm_name=found.firm.name,
            account_name=found.account.name,
            email=found.contact.email,
        )
    )


def _unusable() -> HTMLResponse:
    return HTMLResponse(
        render_page("link_unusable", "Link not valid", firm_name=""), status_code=404
    )


@router.get(
    "/unsubscribe/{token}", response_class=HTMLResponse, responses=_PAGES, openapi_extra=PUBLIC
)
def confirm_unsubscribe(token: Token) -> HTMLResponse:
    try:
        return _page("unsubscribe_confirm", "Unsubscribe", unsubscribes.subscription(token))
    except NotFoundError:
        return _unusable()


@router.post(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses=_PAGES,
    # It reads no body and writes one switch: only a malformed token (422) or an unusable one.
    openapi_extra={**PUBLIC, **only_problems(404, 422)},
)
def unsubscribe(token: Token) -> HTMLResponse:
    """The one-click POST (body `List-Unsubscribe=One-Click`) and the page's button."""
    try:
        return _page("unsubscribe_done", "Unsubscribed", unsubscribes.unsubscribe(token))
    except NotFoundError:
        return _unusable()
