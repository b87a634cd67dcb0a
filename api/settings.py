"""Configuration: one Settings object, read from KIK_* environment variables when created."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the service. Each one is documented in the README (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="KIK_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/kracht-in-kaart.sqlite3",
        description="SQLAlchemy URL: a SQLite file (default) or postgresql://user:pw@host/db.",
    )
    load_shipped_data: bool = Field(
        default=True, description="Fill an empty database with the shipped data on start-up."
    )
    tile_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="Map tile URL template; the only outside address pages may load from.",
    )
    tile_attribution: str = Field(
        default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers',
        description="Attribution shown on the map for the tiles.",
    )
    feedback_email: str = Field(
        default="kaart@alliantievankracht.nl",
        description="Address of the 'Klopt er iets niet?' link on place pages.",
    )
    frame_ancestors: str = Field(
        default="https:",
        description="CSP frame-ancestors for /embed: space-separated origins allowed to frame it.",
    )
    default_radius_km: float = Field(default=15.0, description="First search radius for residents.")
    max_radius_km: float = Field(default=50.0, description="Largest radius the search widens to.")
    public_url: str | None = Field(
        default=None,
        description="Public base URL (https://kaart.example.nl) for oEmbed and share links; "
        "defaults to the request's own URL.",
    )
    cache_max_age: int = Field(default=300, description="Cache-Control max-age (s) of public answers.")
    compress: bool = Field(
        default=True,
        description="gzip answers of 1 KB and more for clients that accept it (off when the proxy compresses).",
    )
    log_level: str = Field(default="INFO", description="Log level of the service.")

    def sqlite_path(self) -> Path | None:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None
