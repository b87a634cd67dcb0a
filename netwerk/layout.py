"""Deterministic positions for drawing the collaboration network.

Each connected part is laid out with ``spring_layout`` (fixed seed) and turned so that
it runs left to right; the largest part gets most of the room, smaller parts stand in
small boxes beside it, and organisations without ties fill a band at the bottom. The
same graph always gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

LAYOUT_SEED = 42
WIDTH, HEIGHT = 1000.0, 700.0
KAMADA_KAWAI_UP_TO = 400  # organisations in one part; above it the spring layout is faster


def _grid(
    items: Sequence[Any], box: tuple[float, float, float, float]
) -> dict[Any, tuple[float, float]]:
    """Items in reading order on an even grid filling ``box`` (left, top, width, height)."""
    if not items:
        return {}
    left, top, width, height = box
    columns = max(1, min(len(items), round(math.sqrt(len(items) * width / max(height, 1.0)))))
    rows = math.ceil(len(items) / columns)
    return {
        v: (
            left + (i % columns + 0.5) * width / columns,
            top + (i // columns + 0.5) * height / rows,
        )
        for i, v in enumerate(items)
    }


def _lone_order(G: nx.Graph, v: Any) -> tuple[bool, str, str]:
    data = G.nodes[v]
    return not data.get("partner", False), str(data.get("sector")), str(data.get("name", v))


def layout(
    G: nx.Graph, *, seed: int = LAYOUT_SEED, width: float = WIDTH, height: float = HEIGHT
) -> dict[Any, tuple[float, float]]:
    """Deterministic positions: each connected part by ``spring_layout``, loners in a grid.

    The largest part gets the most room; smaller parts stand in boxes beside it and
    organisations without ties fill a band at the bottom (partners first). Coordinates
    are screen pixels (y grows downwards) within ``width`` × ``height``.

    Examples
    --------
    >>> pos = layout(nx.Graph([("a", "b"), ("b", "c")]))
    >>> pos == layout(nx.Graph([("a", "b"), ("b", "c")]))
    True
    >>> all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in pos.values())
    True
    """
    parts = sorted(
        (sorted(c, key=str) for c in nx.connected_components(G) if len(c) > 1),
        key=lambda c: (-len(c), str(c[0])),
    )
    lone = sorted((v for v in G if G.degree(v) == 0), key=lambda v: _lone_order(G, v))
    band = 0.0 if not lone else height if not parts else height * 0.22
    pos = _grid(lone, (0.0, height - band, width, band))
    if parts:
        pos.update(_parts_layout(G, parts, seed, width, height - band))
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}


Box = tuple[float, float, float, float]  # left, top, width, height


def _upright(points: np.ndarray) -> np.ndarray:
    """Rotate points so that their longest spread runs left to right (wide screens)."""
    centred = points - points.mean(axis=0)
    if len(points) < 3:
        return centred
    _values, vectors = np.linalg.eigh(np.cov(centred.T))
    main = vectors[:, -1] * (1 if vectors[0, -1] >= 0 else -1)  # a fixed sign: same picture
    turn = np.array([[main[0], -main[1]], [main[1], main[0]]])
    return centred @ turn


def _fit(points: np.ndarray, box: Box, margin: float = 0.06) -> np.ndarray:
    """Scale points uniformly into ``box`` (with a margin), centred."""
    left, top, width, height = box
    span = np.ptp(points, axis=0)
    room = np.array([width, height]) * (1 - 2 * margin)
    scale = min((room[i] / span[i] for i in (0, 1) if span[i] > 0), default=0.0)
    middle = (points.min(axis=0) + points.max(axis=0)) / 2
    return (points - middle) * scale + np.array([left + width / 2, top + height / 2])


def _spring(G: nx.Graph, members: list[Any], seed: int, box: Box) -> dict[Any, tuple[float, float]]:
    H = G.subgraph(members)
    if len(H) <= KAMADA_KAWAI_UP_TO:  # even spacing, no randomness: reads best when small
        start = nx.spring_layout(H, seed=seed, weight=None, iterations=50)
        spread = nx.kamada_kawai_layout(H, pos=start, weight=None)
    else:
        spread = nx.spring_layout(H, seed=seed, weight=None, iterations=200)
    points = _fit(_upright(np.array([spread[v] for v in members])), box)
    return {v: (float(x), float(y)) for v, (x, y) in zip(members, points, strict=True)}


def _parts_layout(
    G: nx.Graph, parts: list[list[Any]], seed: int, width: float, height: float
) -> dict[Any, tuple[float, float]]:
    """The largest part on the left, the other parts on a grid of small boxes beside it."""
    side = 0.0 if len(parts) == 1 else width * min(0.3, 0.08 * math.sqrt(len(parts) - 1))
    pos = _spring(G, parts[0], seed, (0.0, 0.0, width - side, height))
    cells = _grid(list(range(1, len(parts))), (width - side, 0.0, side, height))
    if cells:
        columns = len({x for x, _y in cells.values()})
        cell_w, cell_h = side / columns, height / math.ceil(len(cells) / columns)
        for i, (cx, cy) in cells.items():
            box = (cx - cell_w / 2, cy - cell_h / 2, cell_w, cell_h)
            pos.update(_spring(G, parts[i], seed, box))
    return pos
