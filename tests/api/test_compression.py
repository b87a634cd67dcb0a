"""gzip for clients that accept it (KIK_COMPRESS, on by default), and never changed content.

Residents on a slow phone connection and partner pages with the embed get a quarter of
the bytes when no compressing proxy stands in front of the service.
"""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

PATHS = ["/zoeken?q=9501", "/embed?q=9501", "/api/v1/nearby?postcode=9501",
         "/static/vendor/cytoscape/cytoscape.min.js"]  # fmt: skip


def raw(client: TestClient, path: str, encoding: str | None) -> tuple[dict[str, str], bytes]:
    """Headers and the bytes as sent (not decoded by the client)."""
    headers = {"Accept-Encoding": encoding} if encoding else {"Accept-Encoding": "identity"}
    with client.stream("GET", path, headers=headers) as response:
        assert response.status_code == 200, path
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize("path", PATHS)
def test_gzip_when_accepted_and_the_same_content(client, path):
    headers, sent = raw(client, path, "gzip, br")
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    plain_headers, plain = raw(client, path, None)
    assert "content-encoding" not in plain_headers
    if path.startswith("/api/v1/nearby"):
        assert headers["etag"] == plain_headers["etag"] and headers["etag"].startswith("W/")
    if path.startswith("/static/"):
        assert gzip.decompress(sent) == plain
    assert len(sent) < len(plain) / 2


def test_small_answers_are_not_compressed(client):
    headers, _ = raw(client, "/health", "gzip")
    assert "content-encoding" not in headers


def test_security_headers_survive_compression(client):
    headers, _ = raw(client, "/zoeken?q=9501", "gzip")
    assert "nonce-" in headers["content-security-policy"] and "set-cookie" not in headers


def test_compression_can_be_left_to_the_proxy(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite3'}", compress=False))
    with TestClient(app) as client:
        headers, _ = raw(client, "/zoeken?q=9501", "gzip")
    assert "content-encoding" not in headers
