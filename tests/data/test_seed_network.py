"""Checks on data/sources/seed_network.yaml against the seed texts and partners_avk.csv.

The YAML records organisations, joint activities and relations read from the five seed
documents in data/sources/seeds/. These tests keep it honest:

- structure: ids, kinds, sectors, roles and dates are valid;
- references: every organisation used is in partners_avk.csv or in the YAML's own list;
- faithfulness: every organisation a record names is really named in the lines it cites;
- privacy: no e-mail addresses or phone numbers;
- own words: descriptions do not copy long runs of words from the source;
- spot checks with answers verified by hand in the texts.

Matching a name in the text ("mentions"): both sides are lower-cased, accents removed and
split into words on anything that is not a letter or digit (so hyphens, punctuation and
extra whitespace do not matter). A name matches when its words, glued together, equal a
run of whole words in the text glued together: "Kinderombudsman" matches "de Kinder /
ombudsman" split over two lines, "RUG" matches "de RUG" but not "terug". Cited lines are
joined with spaces; lines only join when they are next to each other in the file (blank
lines in between are allowed), so a name cannot be glued together from two far-apart lines.

One extra rule for governments: "Gemeente X" or "Provincie X" also counts as named when
the cited text has X within a few words of "gemeente(n)" / "provincie(s)", as in "de
gemeenten Coevorden en Emmen" or "In Stadskanaal is de beleidsmedewerker van de gemeente".
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "data" / "sources"
SEEDS = SOURCES / "seeds"
YAML_PATH = SOURCES / "seed_network.yaml"
PARTNERS_CSV = SOURCES / "partners_avk.csv"

ACTIVITY_KINDS = {
    "werkgroep", "transitietafel", "leerkring", "experiment", "project", "congres",
    "netwerktafel", "other",
}
SECTORS = {
    "housing", "welfare", "municipality", "province", "mental_health", "addiction_care",
    "library", "food_aid", "knowledge_institute", "education", "health", "funds", "media",
    "residents_initiative", "other",
}
ROLES = {"lead", "member"}
TOP_KEYS = {"organisations", "aliases", "activities", "relations"}
ACTIVITY_KEYS = {"id", "kind", "name", "description", "place", "start", "end", "source",
                 "lines", "participants"}
ACTIVITY_OPTIONAL = {"note"}
PARTICIPANT_KEYS = {"organisation", "role", "lines"}
ORG_KEYS = {"name", "sector", "source", "lines"}
ORG_OPTIONAL = {"aliases"}
RELATION_KEYS = {"a", "b", "kind", "since", "source", "lines"}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
EMAIL_RE = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?:\+31|\(0\)|\b0)[\s().-]*\d(?:[\s().-]*\d){7,}")
GOV_WORDS = {"gemeente": {"gemeente", "gemeenten"}, "provincie": {"provincie", "provincies"}}
GOV_WINDOW = 8  # words between "gemeente(n)" and the place name, either side
COPY_NGRAM = 8  # a description may not share this many consecutive words with its source


# --------------------------------------------------------------------------- loading


def _load_yaml() -> dict:
    with YAML_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _load_partners() -> list[dict[str, str]]:
    with PARTNERS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


DATA = _load_yaml()
PARTNERS = {row["name"]: row for row in _load_partners()}
ORGS = DATA.get("organisations") or []
ALIASES = DATA.get("aliases") or {}
ACTIVITIES = DATA.get("activities") or []
RELATIONS = DATA.get("relations") or []
ORG_SECTOR = {**{n: r["sector"] for n, r in PARTNERS.items()},
              **{o["name"]: o["sector"] for o in ORGS}}


def _names_for(org: str) -> list[str]:
    """The canonical name plus every alias recorded for it (top-level map or own entry)."""
    names = [org, *ALIASES.get(org, [])]
    for entry in ORGS:
        if entry["name"] == org:
            names.extend(entry.get("aliases") or [])
    return names


@cache
def _seed_lines(source: str) -> tuple[str, ...]:
    return tuple((SEEDS / source).read_text(encoding="utf-8").split("\n"))


# --------------------------------------------------------------------------- matching


def words(text: str) -> list[str]:
    """Lower-case, accent-free words (letters and digits only).

    >>> words("Rijksuniversiteit  Groningen-Drenthe, Veenkoloniën!")
    ['rijksuniversiteit', 'groningen', 'drenthe', 'veenkolonien']
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain.lower())


def _find(name: str, text_words: list[str]) -> list[int]:
    """Start indices of runs of whole words in ``text_words`` that glue together to ``name``."""
    target = "".join(words(name))
    hits: list[int] = []
    if not target:
        return hits
    for i in range(len(text_words)):
        acc = ""
        for j in range(i, len(text_words)):
            acc += text_words[j]
            if acc == target:
                hits.append(i)
                break
            if not target.startswith(acc):
                break
    return hits


def mentions(name: str, text: str) -> bool:
    """Whether ``name`` occurs in ``text`` (see the module docstring).

    >>> mentions("Kinderombudsman", "de Kinder ombudsman, Movisie")
    True
    >>> mentions("Kledingbank Maxima", "de Voedselbank, Kleding- bank Maxima en")
    True
    >>> mentions("RUG", "we komen terug"), mentions("RUG", "onderzoek van de RUG.")
    (False, True)
    """
    return bool(_find(name, words(text)))


def gov_mentions(name: str, text: str) -> bool:
    """``Gemeente X`` / ``Provincie X`` named as "de gemeente(n) ... X" or "X ... de gemeente".

    >>> gov_mentions("Gemeente Emmen", "In de gemeenten Coevorden en Emmen heeft dit")
    True
    >>> gov_mentions("Provincie Drenthe", "contact met de provincies Groningen en Drenthe")
    True
    >>> gov_mentions("Gemeente Emmen", "Atlas Theater Emmen")
    False
    """
    name_words = words(name)
    if len(name_words) < 2 or name_words[0] not in GOV_WORDS:
        return False
    place = " ".join(name_words[1:])
    text_words = words(text)
    gov_at = [i for i, w in enumerate(text_words) if w in GOV_WORDS[name_words[0]]]
    return any(abs(p - g) <= GOV_WINDOW for p in _find(place, text_words) for g in gov_at)


def cited_runs(source: str, lines: list[int]) -> list[str]:
    """The cited lines, joined with spaces into runs of neighbouring lines.

    Two cited lines belong to the same run when only blank lines lie between them.
    """
    text = _seed_lines(source)
    runs: list[list[int]] = []
    for n in sorted(set(lines)):
        if runs and all(not text[k - 1].strip() for k in range(runs[-1][-1] + 1, n)):
            runs[-1].append(n)
        else:
            runs.append([n])
    return [" ".join(text[k - 1] for k in run) for run in runs]


def named_in(org: str, source: str, lines: list[int]) -> bool:
    """Whether ``org`` (or one of its aliases) is named in the cited lines of ``source``."""
    runs = cited_runs(source, lines)
    names = _names_for(org)
    return any(mentions(n, run) or gov_mentions(n, run) for n in names for run in runs)


# --------------------------------------------------------------------------- helpers


def _check_lines(source: str, lines: object) -> None:
    assert isinstance(lines, list) and lines, f"lines must be a non-empty list, got {lines!r}"
    n_lines = len(_seed_lines(source))
    for n in lines:
        assert isinstance(n, int) and not isinstance(n, bool), f"line {n!r} is not an integer"
        assert 1 <= n <= n_lines, f"line {n} outside 1..{n_lines} of {source}"
        assert _seed_lines(source)[n - 1].strip(), f"line {n} of {source} is blank"


def _date_bounds(value: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def _check_date(value: object) -> None:
    if value is None:
        return
    assert isinstance(value, str), f"date {value!r} must be a quoted string"
    assert DATE_RE.match(value), f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    _date_bounds(value)  # raises ValueError on e.g. 2021-13 or 2021-02-30


def _act_id(act: dict) -> str:
    return act["id"]


PARTICIPATIONS = [(act, p) for act in ACTIVITIES for p in act.get("participants") or []]


def _part_id(item: tuple[dict, dict]) -> str:
    act, p = item
    return f"{act['id']}:{p['organisation']}"


def _rel_id(rel: dict) -> str:
    return f"{rel['a']}~{rel['b']}:{rel['kind']}"


# --------------------------------------------------------------------------- structure


def test_top_level_keys():
    assert set(DATA) == TOP_KEYS
    assert ORGS and ACTIVITIES, "expected organisations and activities"


def test_activity_ids_unique():
    ids = [a["id"] for a in ACTIVITIES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate activity ids: {dupes}"


@pytest.mark.parametrize("act", ACTIVITIES, ids=_act_id)
def test_activity_structure(act):
    keys = set(act)
    assert keys >= ACTIVITY_KEYS, f"missing keys: {ACTIVITY_KEYS - keys}"
    assert keys <= ACTIVITY_KEYS | ACTIVITY_OPTIONAL, f"unknown keys: {keys - ACTIVITY_KEYS - ACTIVITY_OPTIONAL}"
    assert SLUG_RE.match(act["id"]), f"id {act['id']!r} is not kebab-case"
    assert act["kind"] in ACTIVITY_KINDS, f"kind {act['kind']!r}"
    assert isinstance(act["name"], str) and act["name"].strip()
    assert isinstance(act["description"], str) and act["description"].strip()
    assert act["place"] is None or (isinstance(act["place"], str) and act["place"].strip())
    assert (SEEDS / act["source"]).is_file(), f"unknown source {act['source']}"
    _check_lines(act["source"], act["lines"])
    _check_date(act["start"])
    _check_date(act["end"])
    if act["start"] and act["end"]:
        assert _date_bounds(act["start"])[0] <= _date_bounds(act["end"])[1], "start after end"
    parts = act["participants"]
    assert isinstance(parts, list)
    orgs = [p["organisation"] for p in parts]
    assert len(orgs) == len(set(orgs)), f"organisation listed twice in {act['id']}"
    if not parts:
        assert act.get("note"), "an activity without named participants needs a note saying why"


@pytest.mark.parametrize("org", ORGS, ids=lambda o: o["name"])
def test_organisation_structure(org):
    keys = set(org)
    assert keys >= ORG_KEYS and keys <= ORG_KEYS | ORG_OPTIONAL, f"keys: {sorted(keys)}"
    assert org["sector"] in SECTORS, f"sector {org['sector']!r}"
    assert org["name"] not in PARTNERS, "already in partners_avk.csv: use the aliases map"
    spellings = {tuple(words(n)) for n in PARTNERS}
    assert tuple(words(org["name"])) not in spellings, "a spelling of a partners_avk.csv name"
    assert isinstance(org.get("aliases", []), list)
    _check_lines(org["source"], org["lines"])


def test_organisation_names_unique():
    names = [o["name"] for o in ORGS]
    assert len(names) == len(set(names))


def test_alias_keys_are_partners():
    unknown = sorted(set(ALIASES) - set(PARTNERS))
    assert not unknown, f"aliases for organisations not in partners_avk.csv: {unknown}"


def test_aliases_occur_in_seeds():
    """Every alias is a spelling that really occurs somewhere in the seed texts."""
    corpus = " ".join(" ".join(_seed_lines(p.name)) for p in sorted(SEEDS.glob("*.txt")))
    corpus_words = words(corpus)
    all_aliases = [a for names in ALIASES.values() for a in names]
    all_aliases += [a for o in ORGS for a in o.get("aliases") or []]
    missing = [a for a in all_aliases if not _find(a, corpus_words)]
    assert not missing, f"aliases not found in any seed: {missing}"


def test_alias_not_shared():
    """An alias points at one organisation only."""
    owner: dict[str, str] = {}
    for org, names in [*ALIASES.items(), *((o["name"], o.get("aliases") or []) for o in ORGS)]:
        for alias in names:
            key = " ".join(words(alias))
            assert owner.setdefault(key, org) == org, f"alias {alias!r}: {owner[key]} and {org}"


@pytest.mark.parametrize("item", PARTICIPATIONS, ids=_part_id)
def test_participant_known_and_role(item):
    _act, p = item
    assert set(p) == PARTICIPANT_KEYS, f"keys: {sorted(p)}"
    assert p["organisation"] in ORG_SECTOR, f"unknown organisation {p['organisation']!r}"
    assert p["role"] in ROLES


@pytest.mark.parametrize("rel", RELATIONS, ids=_rel_id)
def test_relation_structure(rel):
    assert set(rel) == RELATION_KEYS, f"keys: {sorted(rel)}"
    assert rel["a"] in ORG_SECTOR and rel["b"] in ORG_SECTOR
    assert rel["a"] != rel["b"]
    assert isinstance(rel["kind"], str) and rel["kind"].strip()
    _check_date(rel["since"])
    _check_lines(rel["source"], rel["lines"])


# --------------------------------------------------------------------------- faithfulness


@pytest.mark.parametrize("item", PARTICIPATIONS, ids=_part_id)
def test_participant_named_in_cited_lines(item):
    act, p = item
    _check_lines(act["source"], p["lines"])
    assert named_in(p["organisation"], act["source"], p["lines"]), (
        f"{p['organisation']!r} not named in {act['source']} lines {p['lines']}: "
        f"{cited_runs(act['source'], p['lines'])}"
    )


@pytest.mark.parametrize("org", ORGS, ids=lambda o: o["name"])
def test_organisation_named_in_cited_lines(org):
    assert named_in(org["name"], org["source"], org["lines"]), (
        f"{org['name']!r} not named in {org['source']} lines {org['lines']}"
    )


@pytest.mark.parametrize("rel", RELATIONS, ids=_rel_id)
def test_relation_named_in_cited_lines(rel):
    for side in ("a", "b"):
        assert named_in(rel[side], rel["source"], rel["lines"]), (
            f"{rel[side]!r} not named in {rel['source']} lines {rel['lines']}"
        )


# --------------------------------------------------------------------------- privacy, own words


def test_no_email_or_phone_in_yaml():
    text = YAML_PATH.read_text(encoding="utf-8")
    assert not EMAIL_RE.findall(text), EMAIL_RE.findall(text)
    assert not PHONE_RE.findall(text), PHONE_RE.findall(text)


@pytest.mark.parametrize("act", ACTIVITIES, ids=_act_id)
def test_description_in_own_words(act):
    """No run of COPY_NGRAM words of the description appears in the source file."""
    source_words = words(" ".join(_seed_lines(act["source"])))
    grams = {tuple(source_words[i:i + COPY_NGRAM]) for i in range(len(source_words))}
    desc = words(act["description"])
    copied = [" ".join(desc[i:i + COPY_NGRAM]) for i in range(len(desc) - COPY_NGRAM + 1)
              if tuple(desc[i:i + COPY_NGRAM]) in grams]
    assert not copied, f"copied from the source: {copied}"


# --------------------------------------------------------------------------- spot checks


def _activity(act_id: str) -> dict:
    found = [a for a in ACTIVITIES if a["id"] == act_id]
    assert found, f"no activity {act_id!r}"
    return found[0]


SPOT_CHECKS = [
    # id, kind, place, start, {organisation: role}
    ("boekenproject-delfzijl", "project", "Delfzijl", None,
     {"Biblionet Groningen": "lead", "Acantus": "member"}),
    ("leerkring-stadskanaal", "leerkring", "Stadskanaal", "2017",
     {"Movisie": "lead", "Gemeente Stadskanaal": "member"}),
    ("leerkring-assen", "leerkring", "Assen", "2017",
     {"Movisie": "lead", "Cosis (ontstaan uit Novo en Promens Care)": "member"}),
    ("publieksacademie-kinderarmoede-emmen-2020", "congres", "Emmen", "2020-10-05",
     {"Alliantie Kinderarmoede": "lead", "Gemeente Emmen": "member",
      "Provincie Drenthe": "member", "Divosa": "member", "Alles is Gezondheid": "member",
      "Stichting Janivo": "member", "NDC mediagroep": "member"}),
    ("toukomst-gezinsondersteuning", "project", None, None,
     {"Tintengroep (Tinten Welzijnsgroep)": "member", "CMO STAMM": "member",
      "Voedselbank (programma Toukomst)": "member",
      "Kledingbank Maxima (programma Toukomst)": "member", "Vakantiebank": "member"}),
    ("innovatiewerkplaats-generatiearmoede", "project", None, "2024",
     {"Hanzehogeschool Groningen": "lead",
      "Sociaal Planbureau Groningen (onderdeel van CMO STAMM)": "member",
      "Trendbureau Drenthe (onderdeel van CMO STAMM)": "member"}),
    ("transitietafels-verborgen-armoede", "transitietafel", None, None,
     {"GGD Drenthe": "lead", "Alliantie van Kracht tegen Armoede": "lead"}),
    ("experiment-signalering-ggz-vnn", "experiment", None, "2024",
     {"VNN (Verslavingszorg Noord Nederland)": "member"}),
    ("experiment-hoogeveen-verzetsbuurt", "experiment", "Hoogeveen", "2025-08", {}),
    ("netwerkbijeenkomst-toekomst-met-perspectief-2021", "netwerktafel", "Groningen",
     "2021-09-23", {"Gemeente Groningen": "lead", "Voedselbank Groningen": "member"}),
    ("aanpak-intergenerationele-armoede-2017-2021", "project", None, "2017",
     {"Movisie": "member",
      "Rijksuniversiteit Groningen (Mansholtleerstoel / Ruimtelijke Wetenschappen)": "member"}),
]


@pytest.mark.parametrize(("act_id", "kind", "place", "start", "expected"), SPOT_CHECKS,
                         ids=[c[0] for c in SPOT_CHECKS])
def test_spot_check_activity(act_id, kind, place, start, expected):
    act = _activity(act_id)
    assert act["kind"] == kind
    assert act["place"] == place
    assert act["start"] == start
    roles = {p["organisation"]: p["role"] for p in act["participants"]}
    for org, role in expected.items():
        assert roles.get(org) == role, f"{org}: expected {role}, got {roles.get(org)}"


def test_spot_check_six_werkgroepen():
    werkgroepen = [a for a in ACTIVITIES if a["kind"] == "werkgroep"]
    assert len(werkgroepen) == 6
    assert {a["source"] for a in werkgroepen} == {"003_bb6bad7b2556e3f9.txt"}


def test_spot_check_publieksacademie_only_named_initiators():
    """The Publieksacademie lists exactly the eight organisations of lines 406-409."""
    act = _activity("publieksacademie-kinderarmoede-emmen-2020")
    assert len(act["participants"]) == 8


SPOT_RELATIONS = [
    ("Nationaal Programma Groningen", "Alliantie van Kracht tegen Armoede", "subsidie"),
    ("Provincie Drenthe", "Alliantie van Kracht tegen Armoede", "subsidie"),
    ("Biblionet Groningen", "Acantus", "samenwerking"),
    ("Alliantie van Kracht tegen Armoede", "Alliantie Kinderarmoede", "aangesloten"),
]


@pytest.mark.parametrize(("a", "b", "kind"), SPOT_RELATIONS, ids=[f"{a}~{b}" for a, b, _ in SPOT_RELATIONS])
def test_spot_check_relation(a, b, kind):
    assert any({r["a"], r["b"]} == {a, b} and r["kind"] == kind for r in RELATIONS)
