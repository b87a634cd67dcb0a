"""The message catalogue: every user-facing text, Dutch (B1) first, English next.

Catalogues are JSON files in ``api/locale/<lang>/*.json`` (flat keys such as
``"search.title"``; one file per part of the site, merged); adding a language is adding
a folder. A key missing in a language
falls back to Dutch; a key missing everywhere shows the key, and a test fails on that.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import Request

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "nl"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


@cache
def languages() -> tuple[str, ...]:
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    return tuple([DEFAULT] + [x for x in found if x != DEFAULT])


class Translator:
    """``t("key", name="x")``: the text in this language, formatted with the arguments."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in languages() else DEFAULT

    def __call__(self, key: str, **kwargs: object) -> str:
        text = catalogue(self.lang).get(key) or catalogue(DEFAULT).get(key) or key
        return text.format(**kwargs) if kwargs else text


def pick_language(request: Request) -> str:
    """``?lang=`` first, then the browser's Accept-Language, else Dutch. No cookie."""
    asked = request.query_params.get("lang", "")
    if asked in languages():
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in languages():
            return code
    return DEFAULT
