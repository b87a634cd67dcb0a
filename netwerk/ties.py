"""Where ties come from: the records behind every pair of organisations.

An activity with participants ``a, b, c`` is projected onto the pairs ``a-b``, ``a-c``
and ``b-c`` (the organisation × activity bipartite graph, projected); a relation is
one pair. The records are read once per snapshot and then aggregated for any time
window, so building a graph per year does not parse the snapshot again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from data.snapshot import NetworkSnapshot
from data.vocab import ACTIVITY_KINDS
from netwerk.errors import InvalidDate, InvalidSnapshot
from netwerk.timeline import Interval, Window, overlaps, parse_end, parse_start

DAYS_PER_YEAR = 365.25
#: "First seen" of a tie whose start is unknown: before any date asked for.
ALWAYS = dt.date.min

Pair = tuple[str, str]


@dataclass(frozen=True)
class Record:
    """One activity or relation as it touches one pair of organisations."""

    layer: str
    ident: str
    interval: Interval
    base: float  # contribution before recency: 1, 1/(n-1) or the relation's strength


@dataclass
class Tie:
    """The records of one pair that exist in a window, summed."""

    weight: float = 0.0
    layers: Counter[str] = field(default_factory=Counter)
    activities: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)


def recency_factor(interval: Interval, reference: dt.date, half_life: float) -> float:
    """How much an activity still counts at ``reference``: ``0.5 ** (age / half_life)``.

    The age is measured from the activity's end (a running activity, or one that ends
    after the reference date, has age 0) in years of 365.25 days.

    Examples
    --------
    >>> recency_factor((None, dt.date(2019, 12, 31)), dt.date(2023, 12, 31), 2)
    0.25
    """
    end = interval[1]
    if end is None or end >= reference:
        return 1.0
    age = (reference - end).days / DAYS_PER_YEAR
    return float(0.5 ** (age / half_life))


def _interval(start: str | None, end: str | None, where: str) -> Interval:
    try:
        return parse_start(start), parse_end(end)
    except InvalidDate as err:
        raise InvalidSnapshot(f"{where}: {err}") from err


def _activity_records(
    snapshot: NetworkSnapshot, known: set[str], chosen: tuple[str, ...], weighting: str
) -> Iterator[tuple[Pair, Record]]:
    for act in snapshot.activities:
        layer = act.kind if act.kind in ACTIVITY_KINDS else "other"
        if layer not in chosen:
            continue
        members = sorted({org for org, _role in act.participants})
        missing = [org for org in members if org not in known]
        if missing:
            raise InvalidSnapshot(
                f"Activiteit '{act.slug}' noemt onbekende organisatie '{missing[0]}'."
            )
        if len(members) < 2:
            continue
        base = 1.0 if weighting == "count" else 1.0 / (len(members) - 1)
        record = Record(
            layer, act.id, _interval(act.start, act.end, f"Activiteit '{act.slug}'"), base
        )
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield (a, b), record


def _relation_records(
    snapshot: NetworkSnapshot, known: set[str], chosen: tuple[str, ...]
) -> Iterator[tuple[Pair, Record]]:
    if "relation" not in chosen:
        return
    for rel in snapshot.relations:
        if rel.a not in known or rel.b not in known or rel.a == rel.b:
            raise InvalidSnapshot(
                f"Relatie '{rel.id}' verbindt '{rel.a}' met '{rel.b}': dat moeten twee "
                "verschillende bekende organisaties zijn."
            )
        if not rel.strength > 0:
            raise InvalidSnapshot(
                f"Relatie '{rel.id}' heeft sterkte {rel.strength}; die moet positief zijn."
            )
        interval = _interval(rel.since, rel.until, f"Relatie '{rel.id}'")
        yield (
            (min(rel.a, rel.b), max(rel.a, rel.b)),
            Record("relation", rel.id, interval, rel.strength),
        )


def pair_records(
    snapshot: NetworkSnapshot, chosen: tuple[str, ...], weighting: str
) -> dict[Pair, list[Record]]:
    """Every pair of organisations with the records that tie them (all of time).

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i, i, "welfare", False, None, None, None, None, None) for i in "abc")
    >>> act = ActivityRecord("w", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                      (("a", "lead"), ("b", "member"), ("c", "member")))
    >>> grouped = pair_records(NetworkSnapshot(1, orgs, (act,), ()), ("werkgroep",), "newman")
    >>> sorted(grouped), grouped[("a", "b")][0].base
    ([('a', 'b'), ('a', 'c'), ('b', 'c')], 0.5)
    """
    known = {org.id for org in snapshot.organisations}
    grouped: dict[Pair, list[Record]] = defaultdict(list)
    for pair, record in _activity_records(snapshot, known, chosen, weighting):
        grouped[pair].append(record)
    for pair, record in _relation_records(snapshot, known, chosen):
        grouped[pair].append(record)
    return dict(grouped)


def first_seen(grouped: dict[Pair, list[Record]]) -> dict[str, dt.date]:
    """For each organisation the start of its first tie (``ALWAYS`` if unknown).

    Examples
    --------
    >>> rec = Record("werkgroep", "w", (dt.date(2021, 1, 1), None), 1.0)
    >>> first_seen({("a", "b"): [rec]})["a"]
    datetime.date(2021, 1, 1)
    """
    first: dict[str, dt.date] = {}
    for pair, records in grouped.items():
        start = min(r.interval[0] or ALWAYS for r in records)
        for org in pair:
            first[org] = min(first.get(org, dt.date.max), start)
    return first


def aggregate(
    grouped: dict[Pair, list[Record]], span: Window | None, decay: tuple[dt.date, float] | None
) -> dict[Pair, Tie]:
    """The ties that exist in ``span``: records summed, faded by ``decay`` if given.

    Examples
    --------
    >>> old = Record("werkgroep", "w1", (None, dt.date(2019, 12, 31)), 1.0)
    >>> new = Record("project", "p1", (dt.date(2023, 1, 1), None), 1.0)
    >>> aggregate({("a", "b"): [old, new]}, None, (dt.date(2023, 12, 31), 2.0))[("a", "b")].weight
    1.25
    >>> list(aggregate({("a", "b"): [old]}, (dt.date(2021, 1, 1), dt.date(2021, 12, 31)), None))
    []
    """
    ties: dict[Pair, Tie] = {}
    for pair, records in grouped.items():
        for rec in records:
            if not overlaps(rec.interval, span):
                continue
            tie = ties.setdefault(pair, Tie())
            tie.weight += rec.base * (recency_factor(rec.interval, *decay) if decay else 1.0)
            tie.layers[rec.layer] += 1
            (tie.relations if rec.layer == "relation" else tie.activities).append(rec.ident)
            tie.intervals.append(rec.interval)
    return ties
