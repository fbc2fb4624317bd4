from fastapi import APIRouter

router = APIRouter()


@router.get("/health", tags=["health"])
def health() -> dict[str, str]:
    """Answers without a token: the API is up and its code loaded."""
    return {"status": "ok"}
