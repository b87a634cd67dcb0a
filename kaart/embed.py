"""The help-finder on partner websites: embed options, the partner's colour, the snippet, oEmbed.

A library or a municipality configures the embed with query parameters (a gemeente or a
centre point, preset needs, language, view, accent colour, height). `parse_options`
checks them strictly — the accent colour ends up in CSS, so only six hex digits pass —
and `embed_help` finds the places with :func:`kaart.search.find_help`. A gemeente embed
lists the places in (or serving) that gemeente; a text the visitor types wins over the
configured place, as on the full site. `snippet` and `oembed_answer` give the HTML a
partner pastes, and `options_for_url` turns a page of our site into embed options.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

import folium
from markupsafe import escape

from data.errors import NotFound
from data.vocab import NEEDS
from kaart import maps
from kaart.errors import KaartError
from kaart.geocode import Geocoder
from kaart.nearby import PlaceIndex
from kaart.search import HelpResult, find_help

View = Literal["list", "map", "both"]
VIEWS: tuple[str, ...] = ("both", "list", "map")  # the first is the default
DEFAULT_HEIGHT, MIN_HEIGHT, MAX_HEIGHT = 600, 200, 3000
MIN_ZOOM, MAX_ZOOM = 6, 18
DEFAULT_WIDTH = 640  # oEmbed answers in pixels; the snippet itself is 100% wide
LIST_LIMIT = 10  # the embed is compact: the rest is one click away on the full site
MAX_QUERY = 100
_HEX = re.compile(r"#?([0-9a-fA-F]{6})")
WHITE, BLACK = "ffffff", "000000"
AA_NORMAL_TEXT = 4.5


class InvalidEmbedOption(KaartError, ValueError):
    """One embed option that cannot be used, with the Dutch and English explanation."""

    def __init__(self, field: str, message: str, *, message_en: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.message_en = message_en


class InvalidEmbedOptions(KaartError, ValueError):
    """Every unusable option of one embed configuration (field by field)."""

    def __init__(self, problems: Sequence[InvalidEmbedOption]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)


# --- colours -------------------------------------------------------------------------


def parse_accent(text: str) -> str:
    """Six lowercase hex digits from ``0b5e7e`` or ``#0B5E7E``; anything else is refused.

    >>> parse_accent("#0B5E7E")
    '0b5e7e'
    >>> parse_accent("red;}body{")
    Traceback (most recent call last):
    ...
    kaart.embed.InvalidEmbedOption: accent 'red;}body{' is geen kleur: gebruik 6 hexadecimale tekens, zoals 0b5e7e
    """
    match = _HEX.fullmatch(text.strip())
    if not match:
        raise InvalidEmbedOption(
            "accent", f"accent '{text}' is geen kleur: gebruik 6 hexadecimale tekens, zoals 0b5e7e",
            message_en=f"accent '{text}' is not a colour: use 6 hexadecimal digits, like 0b5e7e",
        )  # fmt: skip
    return match[1].lower()


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``rrggbb`` colour (0 black … 1 white).

    >>> relative_luminance("ffffff"), relative_luminance("000000")
    (1.0, 0.0)
    """

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``rrggbb`` colours, from 1 (same) to 21 (black on white).

    AA asks 4.5 for normal text. Our default accent passes with white text; yellow does not.

    >>> round(contrast_ratio("ffffff", "000000"), 1)
    21.0
    >>> round(contrast_ratio("0b5e7e", "ffffff"), 2)
    7.2
    >>> contrast_ratio("ffd700", "ffffff") < 4.5
    True
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """White text when it reaches AA on the background, else black (one of them always does).

    >>> text_colour_on("0b5e7e"), text_colour_on("ffd700")
    ('ffffff', '000000')
    """
    return WHITE if contrast_ratio(background, WHITE) >= AA_NORMAL_TEXT else BLACK


def darken(colour: str, *, against: str = WHITE, minimum: float = AA_NORMAL_TEXT) -> str:
    """The colour, darkened (same hue) until it reaches ``minimum`` contrast with ``against``.

    >>> darken("0b5e7e")  # dark enough already
    '0b5e7e'
    >>> dark = darken("ffd700"); dark, contrast_ratio(dark, "ffffff") >= 4.5
    ('8a7400', True)
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    for step in range(101):
        f = 1 - step / 100
        candidate = f"{round(r * f):02x}{round(g * f):02x}{round(b * f):02x}"
        if contrast_ratio(candidate, against) >= minimum:
            return candidate
    return BLACK  # not reached for a white background: black gives 21


@dataclass(frozen=True)
class Palette:
    """The partner's colour as CSS values: ``brand`` with ``on_brand`` text (the header
    strip), and ``ink`` for links, buttons and borders on white — darkened when needed."""

    brand: str
    on_brand: str
    ink: str


def accent_palette(accent: str) -> Palette:
    """Colours for the embed from one accent; every text pair reaches WCAG AA.

    >>> accent_palette("ffd700")
    Palette(brand='#ffd700', on_brand='#000000', ink='#8a7400')
    """
    return Palette(f"#{accent}", f"#{text_colour_on(accent)}", f"#{darken(accent)}")


# --- options -----------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedOptions:
    """One embed configuration; ``q`` is what a visitor typed in the embed's search box."""

    gemeente: tuple[str, str] | None = None  # (CBS code, name)
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    needs: tuple[str, ...] = ()
    lang: str | None = None  # None: the visitor's own language
    view: View = "both"
    accent: str | None = None  # rrggbb
    height: int = DEFAULT_HEIGHT
    q: str = ""

    def config(self) -> list[tuple[str, str]]:
        """The partner's settings as query pairs (defaults left out), in a fixed order."""
        pairs = [("gemeente", self.gemeente[0])] if self.gemeente else []
        if self.lat is not None and self.lon is not None:
            pairs += [
                ("lat", f"{self.lat:.5f}".rstrip("0").rstrip(".")),
                ("lon", f"{self.lon:.5f}".rstrip("0").rstrip(".")),
            ]
        pairs += [("zoom", str(self.zoom))] if self.zoom is not None else []
        pairs += [("needs", n) for n in self.needs]
        pairs += [("lang", self.lang)] if self.lang else []
        pairs += [("view", self.view)] if self.view != VIEWS[0] else []
        pairs += [("accent", self.accent)] if self.accent else []
        pairs += [("height", str(self.height))] if self.height != DEFAULT_HEIGHT else []
        return pairs

    def query(self) -> str:
        """The query string of this embed (settings, then the visitor's search).

        >>> EmbedOptions(gemeente=("GM0037", "Stadskanaal"), needs=("food",), q="9501").query()
        'gemeente=GM0037&needs=food&q=9501'
        """
        return urlencode(self.config() + ([("q", self.q)] if self.q else []))

    def site_link(self, lang: str) -> str:
        """The same search on the full site (path and query), for "see more" links.

        >>> EmbedOptions(gemeente=("GM0037", "Stadskanaal"), needs=("food",)).site_link("nl")
        '/zoeken?q=Stadskanaal+%28gemeente%29&needs=food&lang=nl'
        """
        if self.q:
            where = [("q", self.q)]
        elif self.lat is not None and self.lon is not None:
            where = [("lat", str(self.lat)), ("lon", str(self.lon))]
        elif self.gemeente:
            where = [("q", f"{self.gemeente[1]} (gemeente)")]
        else:
            return "/?" + urlencode([("lang", lang)])
        return "/zoeken?" + urlencode([*where, *(("needs", n) for n in self.needs), ("lang", lang)])


def read_options(
    query: Iterable[tuple[str, str]], *, geocoder: Geocoder, languages: Sequence[str] = ("nl", "en")
) -> tuple[EmbedOptions, list[InvalidEmbedOption]]:
    """Embed options from query pairs, leniently: unusable fields are left at their default
    and reported, so a form can show every problem at once. Unknown keys are ignored."""
    params: dict[str, list[str]] = {}
    for key, value in query:
        params.setdefault(key, []).append(value.strip())
    problems: list[InvalidEmbedOption] = []

    def checked(field: str, parse: Any, default: Any = None) -> Any:
        raw = (params.get(field) or [""])[-1]
        if not raw:
            return default
        try:
            return parse(raw)
        except InvalidEmbedOption as exc:
            problems.append(exc)
            return default

    values: dict[str, Any] = {
        "gemeente": checked("gemeente", lambda v: _gemeente(geocoder, v)),
        "lat": checked("lat", lambda v: _number("lat", v, 50.0, 54.0)),
        "lon": checked("lon", lambda v: _number("lon", v, 3.0, 8.0)),
        "zoom": checked("zoom", lambda v: int(_number("zoom", v, MIN_ZOOM, MAX_ZOOM, whole=True))),
        "view": checked("view", _view, VIEWS[0]),
        "accent": checked("accent", parse_accent),
        "height": checked(
            "height",
            lambda v: int(_number("height", v, MIN_HEIGHT, MAX_HEIGHT, whole=True)),
            DEFAULT_HEIGHT,
        ),  # fmt: skip
        "lang": checked("lang", lambda v: v if v in languages else None),
        "q": (params.get("q") or [""])[-1][:MAX_QUERY],
    }
    values["needs"] = _needs(params.get("needs", []), problems)
    problems += _centre_problems(values, params)
    if any(p.field in ("lat", "lon") for p in problems):
        values["lat"] = values["lon"] = None
    return EmbedOptions(**values), problems


def parse_options(
    query: Iterable[tuple[str, str]], *, geocoder: Geocoder, languages: Sequence[str] = ("nl", "en")
) -> EmbedOptions:
    """Embed options from query pairs, strictly.

    Raises
    ------
    InvalidEmbedOptions
        With every unusable option: an unknown gemeente, a colour that is not six hex
        digits, a height outside 200–3000, a gemeente and a centre point together, …
    """
    options, problems = read_options(query, geocoder=geocoder, languages=languages)
    if problems:
        raise InvalidEmbedOptions(problems)
    return options


def _gemeente(geocoder: Geocoder, text: str) -> tuple[str, str]:
    found = geocoder.gemeente_code(text)
    if found is None:
        raise InvalidEmbedOption(
            "gemeente", f"gemeente '{text}' kennen we niet; kies een gemeente in Groningen of Drenthe (naam of CBS-code, zoals GM0037)",
            message_en=f"we don't know gemeente '{text}'; choose one in Groningen or Drenthe (name or CBS code, like GM0037)",
        )  # fmt: skip
    return found


def _number(field: str, text: str, low: float, high: float, *, whole: bool = False) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not (low <= value <= high) or (whole and value != int(value)):
        kind, kind_en = ("een heel getal", "a whole number") if whole else ("een getal", "a number")
        raise InvalidEmbedOption(
            field, f"{field} '{text}' moet {kind} van {low:g} tot en met {high:g} zijn",
            message_en=f"{field} '{text}' must be {kind_en} from {low:g} to {high:g}",
        )  # fmt: skip
    return value


def _view(text: str) -> str:
    if text not in VIEWS:
        raise InvalidEmbedOption(
            "view", f"view '{text}' bestaat niet; kies list, map of both",
            message_en=f"view '{text}' does not exist; choose list, map or both",
        )  # fmt: skip
    return text


def _needs(raw: list[str], problems: list[InvalidEmbedOption]) -> tuple[str, ...]:
    unknown = [n for n in raw if n and n not in NEEDS]
    if unknown:
        problems.append(InvalidEmbedOption(
            "needs", f"onbekende hulpvraag {', '.join(unknown)}; kies uit {', '.join(NEEDS)}",
            message_en=f"unknown need {', '.join(unknown)}; choose from {', '.join(NEEDS)}",
        ))  # fmt: skip
    return tuple(n for n in NEEDS if n in raw)


def _centre_problems(
    values: dict[str, Any], params: dict[str, list[str]]
) -> list[InvalidEmbedOption]:
    given = [k for k in ("lat", "lon") if (params.get(k) or [""])[-1]]
    if len(given) == 1:
        return [InvalidEmbedOption(
            "lat", "geef lat én lon voor een middelpunt", message_en="give both lat and lon for a centre point"
        )]  # fmt: skip
    if given and values["gemeente"]:
        return [InvalidEmbedOption(
            "lat", "kies een gemeente óf een middelpunt (lat, lon), niet allebei",
            message_en="choose a gemeente or a centre point (lat, lon), not both",
        )]  # fmt: skip
    return []


# --- finding and showing help ------------------------------------------------------------


def embed_help(
    index: PlaceIndex, geocoder: Geocoder, options: EmbedOptions, *,
    radius_km: float = 15, max_radius_km: float = 50, now: Any = None,
) -> HelpResult | None:  # fmt: skip
    """The places the embed lists: near the visitor's text, else near the centre point, else
    in the gemeente; None when the embed has no place yet (it then shows the search box)."""
    common: dict[str, Any] = {"needs": options.needs, "max_radius_km": max_radius_km, "now": now}
    if options.q:
        return find_help(
            index, geocoder, query=options.q, radius_km=radius_km, limit=LIST_LIMIT, **common
        )
    if options.lat is not None and options.lon is not None:
        return find_help(
            index,
            geocoder,
            lat=options.lat,
            lon=options.lon,
            radius_km=radius_km,
            limit=LIST_LIMIT,
            **common,
        )
    if options.gemeente is None:
        return None
    code, name = options.gemeente
    every = find_help(
        index, geocoder, place=f"{name} (gemeente)", radius_km=max_radius_km, limit=200, **common
    )
    return in_gemeente(every, code, limit=LIST_LIMIT)


def in_gemeente(result: HelpResult, code: str, *, limit: int) -> HelpResult:
    """Only the hits located in (or serving) gemeente ``code``, the nearest ``limit`` of them."""
    kept = [h for h in result.hits if code in (h.place.gemeente_code, *h.place.service_area)]
    kept = kept[:limit]
    return dataclasses.replace(result, hits=tuple(kept), widened=False, near_count=len(kept))


def embed_map(
    result: HelpResult, *, show_point: bool, zoom: int | None, label: str, tiles_url: str,
    attribution: str, href: Any,
) -> folium.Map:  # fmt: skip
    """The embed's map: the places, the search point when there is one; a partner's zoom
    is kept as given, otherwise the map fits the places."""
    point = result.point
    m = maps.base_map(
        (point.lat, point.lon), zoom or 12, tiles_url=tiles_url, attribution=attribution
    )
    maps.add_places(m, result.hits, href=href)
    if show_point:
        maps.add_search_point(m, point.lat, point.lon, label)
    if zoom is None:
        shown = [(h.place.lat, h.place.lon) for h in result.hits if not h.place.confidential]
        start = [(point.lat, point.lon)] if show_point else []
        maps.fit_to(m, start + [(a, b) for a, b in shown if a is not None and b is not None])
    return m


# --- the code partners paste ---------------------------------------------------------------


def snippet(
    base_url: str, options: EmbedOptions, *, title: str, width: str | int = "100%",
    height: int | None = None, max_height: int | None = None,
) -> str:  # fmt: skip
    """The iframe and our resize script, for a partner's page.

    >>> print(snippet("https://kaart.example", EmbedOptions(needs=("food",)), title="Hulp"))
    <iframe src="https://kaart.example/embed?needs=food" title="Hulp" width="100%" height="600" style="border:0" loading="lazy"></iframe>
    <script src="https://kaart.example/static/js/embed-host.js" async></script>
    """
    base = base_url.rstrip("/")
    query = options.query()
    src = f"{base}/embed" + (f"?{query}" if query else "")
    limit = f' data-kik-max-height="{max_height}"' if max_height else ""
    frame = (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{escape(str(width))}" '
        f'height="{height or options.height}"{limit} style="border:0" loading="lazy"></iframe>'
    )
    return f'{frame}\n<script src="{escape(base)}/static/js/embed-host.js" async></script>'


def oembed_answer(
    base_url: str, options: EmbedOptions, *, title: str, maxwidth: int | None = None,
    maxheight: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """An oEmbed 1.0 "rich" answer, sized within ``maxwidth`` × ``maxheight``.

    >>> a = oembed_answer("https://kaart.example", EmbedOptions(), title="Hulp", maxwidth=300)
    >>> a["type"], a["version"], a["width"], a["height"], a["provider_name"]
    ('rich', '1.0', 300, 600, 'Kracht in Kaart')
    """
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    height = min(options.height, maxheight or options.height)
    html = snippet(base_url, options, title=title, width=width, height=height, max_height=maxheight)
    return {
        "version": "1.0", "type": "rich", "title": title, "html": html, "width": width,
        "height": height, "provider_name": "Kracht in Kaart", "provider_url": base_url.rstrip("/") + "/",
    }  # fmt: skip


def options_for_url(
    url: str, *, hosts: Iterable[str], index: PlaceIndex, geocoder: Geocoder
) -> EmbedOptions:
    """Embed options for a page of our site: the start page, a search, a place or an embed.

    Raises
    ------
    NotFound
        A URL of another site, or a page of ours that cannot be embedded.
    InvalidEmbedOptions
        An embed URL with unusable options.
    """
    parts = urlsplit(url)
    ours = {h.lower() for h in hosts}
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in ours:
        raise NotFound("insluitbare pagina", url)
    pairs = parse_qsl(parts.query)
    lang = [(k, v) for k, v in pairs if k == "lang"]
    path = parts.path or "/"
    if path == "/embed":
        return parse_options(pairs, geocoder=geocoder)
    if path == "/":
        return parse_options(lang, geocoder=geocoder)
    if path == "/zoeken":
        typed = any(k == "q" and v.strip() for k, v in pairs)  # text wins, as on the page
        keys = ("q", "needs") if typed else ("lat", "lon", "needs")
        return parse_options([(k, v) for k, v in pairs if k in keys] + lang, geocoder=geocoder)
    match = re.fullmatch(r"/plek/([^/]+)", path)
    place = index.by_slug.get(match[1]) if match else None
    if place is None:
        raise NotFound("insluitbare pagina", url)
    if place.location_type == "physical" and not place.confidential and place.lat is not None:
        centre = [("lat", str(place.lat)), ("lon", str(place.lon)), ("zoom", "15")]
        return parse_options(centre + lang, geocoder=geocoder)
    gemeente = [("gemeente", place.gemeente_code)] if place.gemeente_code else []
    return parse_options(gemeente + lang, geocoder=geocoder)
