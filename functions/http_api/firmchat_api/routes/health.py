from fastapi import APIRouter

from firmchat_api.openapi import PUBLIC

router = APIRouter()


@router.get("/health", tags=["health"], openapi_extra=PUBLIC)
def health() -> dict[str, str]:
    """Answers without a token: the API is up and its code loaded."""
    return {"status": "ok"}
