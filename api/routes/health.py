"""Health check for load balancers and the fresh-machine check."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_db
from data.db import Database

router = APIRouter(tags=["service"])


@router.get("/health", summary="Is the service up, and which data version does it serve?")
def health(db: Database = Depends(get_db)) -> dict:
    return {"status": "ok", "data_version": db.version()}
