"""The one-page steering-group report: key figures, brokers, silos, weak points, growth.

Shapes ``netwerk.report`` for people to read, and computes the geometry of the growth
chart (the page draws it as an inline SVG; no chart library).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from data.snapshot import NetworkSnapshot
from netwerk.report import report


def _total(entry: dict[str, Any]) -> int:
    return int((entry.get("brokerage") or {}).get("total", 0))


def top_brokers(
    organisations: dict[str, dict[str, Any]], *, limit: int = 10
) -> list[dict[str, Any]]:
    """Organisations that link others most: by betweenness, then brokered pairs.

    Examples
    --------
    >>> table = {"a": {"name": "A", "betweenness": 0.5, "brokerage": {"total": 3}},
    ...          "b": {"name": "B", "betweenness": 0.0, "brokerage": {"total": 0}}}
    >>> [b["name"] for b in top_brokers(table)]
    ['A']
    """
    rows = [
        {"id": ident, **entry}
        for ident, entry in organisations.items()
        if (entry.get("betweenness") or 0) > 0 or _total(entry)
    ]
    rows.sort(key=lambda r: (-(r.get("betweenness") or 0), -_total(r), r["name"]))
    return rows[:limit]


def sector_rows(silos: dict[str, Any]) -> list[dict[str, Any]]:
    """Per sector with ties: ties inside, ties to other sectors and the E-I index.

    Examples
    --------
    >>> silos = {"mixing_matrix": {"housing": {"housing": 1.0, "welfare": 2.0},
    ...                            "welfare": {"housing": 2.0, "welfare": 0.0}},
    ...          "ei_index": {"sectors": {"housing": 0.33, "welfare": 1.0}}}
    >>> [(r["sector"], r["internal"], r["external"]) for r in sector_rows(silos)]
    [('housing', 1.0, 2.0), ('welfare', 0.0, 2.0)]
    """
    matrix, ei = silos["mixing_matrix"], silos["ei_index"]["sectors"]
    rows = []
    for sector, row in matrix.items():
        internal = row.get(sector, 0.0)
        external = sum(v for other, v in row.items() if other != sector)
        if internal or external:
            rows.append({"sector": sector, "internal": internal, "external": external,
                         "ei_index": ei.get(sector)})  # fmt: skip
    return sorted(
        rows, key=lambda r: (r["ei_index"] if r["ei_index"] is not None else 2, r["sector"])
    )


def vulnerable_points(organisations: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Articulation points, most fragmenting first.

    Examples
    --------
    >>> vulnerable_points({"a": {"name": "A", "articulation_point": True, "fragmentation": 0.2},
    ...                    "b": {"name": "B", "articulation_point": False, "fragmentation": 0}})
    [{'id': 'a', 'name': 'A', 'articulation_point': True, 'fragmentation': 0.2}]
    """
    rows = [{"id": i, **e} for i, e in organisations.items() if e.get("articulation_point")]
    return sorted(rows, key=lambda r: (-(r.get("fragmentation") or 0), r["name"]))


def nice_step(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (whole numbers from 1 up).

    Examples
    --------
    >>> nice_step(0), nice_step(1), nice_step(2.2), nice_step(21), nice_step(36.5)
    (1, 1, 5, 25, 50)
    """
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 2.5, 5, 10) if power >= 10 else (1, 2, 5, 10)
    return next(int(s * power) for s in steps if s * power >= value)


def line_chart(
    rows: Sequence[dict[str, Any]],
    *,
    series: Sequence[str] = ("nodes", "ties"),
    width: int = 640,
    height: int = 260,
    margin: tuple[int, int, int, int] = (16, 16, 36, 48),
) -> dict[str, Any]:
    """Geometry of a line chart of ``series`` per year, for an inline SVG.

    ``margin`` is (top, right, bottom, left). Returns ``width``, ``height``, ``plot``
    (left, top, right, bottom), ``series`` (key, ``points`` for a polyline and ``dots``
    with year and value), ``x_ticks`` and ``y_ticks`` (position, label value).

    Examples
    --------
    >>> c = line_chart([{"year": 2017, "nodes": 0, "ties": 0}, {"year": 2018, "nodes": 4, "ties": 2}])
    >>> c["series"][0]["points"], [v for _, v in c["y_ticks"]]
    ('48.0,224.0 624.0,16.0', [0, 1, 2, 3, 4])
    """
    top, right, bottom, left = margin
    x0, x1, y0, y1 = left, width - right, top, height - bottom
    steps = 4
    step = nice_step(max((float(r.get(k) or 0) for r in rows for k in series), default=0) / steps)
    peak = step * steps
    n = len(rows)

    def x(i: int) -> float:
        return round(x0 + (x1 - x0) * (i / (n - 1) if n > 1 else 0.5), 1)

    def y(value: float) -> float:
        return round(y1 - (y1 - y0) * value / peak, 1)

    lines = []
    for key in series:
        dots = [
            (x(i), y(float(r.get(key) or 0)), r["year"], r.get(key)) for i, r in enumerate(rows)
        ]
        lines.append(
            {"key": key, "points": " ".join(f"{a},{b}" for a, b, _, _ in dots), "dots": dots}
        )
    y_ticks = [(y(step * s), step * s) for s in range(steps + 1)]
    every = max(1, math.ceil(n / 12))
    x_ticks = [(x(i), r["year"]) for i, r in enumerate(rows) if i % every == 0 or i == n - 1]
    return {"width": width, "height": height, "plot": (x0, y0, x1, y1), "series": lines,
            "x_ticks": x_ticks, "y_ticks": y_ticks}  # fmt: skip


def report_view(snapshot: NetworkSnapshot, *, limit: int = 10, **options: Any) -> dict[str, Any]:
    """The one-page steering-group report: figures, brokers, silos, weak points, growth.

    Returns
    -------
    dict
        ``network`` (key figures), ``brokers`` (see ``top_brokers``), ``sectors`` (see
        ``sector_rows``), ``silos``, ``vulnerable`` (see ``vulnerable_points``),
        ``resilience``, the first ``limit`` ``suggestions``, ``evolution``, ``chart``
        (see ``line_chart``), ``meta`` and ``links`` (slug and name per organisation id).

    Examples
    --------
    >>> view = report_view(NetworkSnapshot(0, (), (), ()), last_year=2018)
    >>> view["network"]["nodes"], [r["year"] for r in view["evolution"]], view["brokers"]
    (0, [2017, 2018], [])
    """
    full = report(snapshot, **options)
    orgs = full["organisations"]
    return {
        "network": full["network"],
        "brokers": top_brokers(orgs, limit=limit),
        "sectors": sector_rows(full["silos"]),
        "silos": full["silos"],
        "vulnerable": vulnerable_points(orgs),
        "resilience": full["resilience"],
        "suggestions": full["suggestions"][:limit],
        "evolution": full["evolution"],
        "chart": line_chart(full["evolution"]),
        "meta": full["meta"],
        "links": {o.id: {"slug": o.slug, "name": o.name} for o in snapshot.organisations},
    }
