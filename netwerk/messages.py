"""The message catalogue of netwerk/: every sentence a person reads, Dutch (B1) first.

``EXPLANATIONS[metric]`` explains one result in one plain sentence, in Dutch (``"nl"``)
and English (``"en"``). Reports and the API take their text from here, never from
string literals elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

LANGUAGES: tuple[str, ...] = ("nl", "en")

EXPLANATIONS: dict[str, dict[str, str]] = {
    # the whole network
    "nodes": {
        "nl": "Het aantal organisaties in het netwerk.",
        "en": "The number of organisations in the network.",
    },
    "ties": {
        "nl": "Het aantal paren organisaties dat samenwerkt.",
        "en": "The number of pairs of organisations that work together.",
    },
    "density": {
        "nl": "Welk deel van alle mogelijke samenwerkingen echt bestaat (0 = geen, 1 = iedereen met iedereen).",
        "en": "The share of all possible ties that exist (0 = none, 1 = everyone with everyone).",
    },
    "components": {
        "nl": "In hoeveel losse delen het netwerk uiteenvalt; binnen een deel kun je elkaar via anderen bereiken.",
        "en": "How many separate parts the network has; within a part everyone can reach everyone through others.",
    },
    "largest_component": {
        "nl": "Hoeveel organisaties in het grootste samenhangende deel zitten.",
        "en": "How many organisations are in the largest connected part.",
    },
    "average_degree": {
        "nl": "Met hoeveel andere organisaties een organisatie gemiddeld samenwerkt.",
        "en": "With how many other organisations an organisation works on average.",
    },
    "average_clustering": {
        "nl": "Hoe vaak de partners van een organisatie ook met elkaar samenwerken, gemiddeld over alle organisaties.",
        "en": "How often an organisation's partners also work with each other, averaged over all organisations.",
    },
    "transitivity": {
        "nl": "Welk deel van de driehoekjes 'A met B, B met C' ook 'A met C' heeft.",
        "en": "The share of 'A with B, B with C' triples that also have 'A with C'.",
    },
    "degree_centralization": {
        "nl": "Hoeveel het netwerk om één spil draait (0 = iedereen even veel contacten, 1 = een ster rond één organisatie).",
        "en": "How much the network revolves around one hub (0 = equal contacts, 1 = a star around one organisation).",
    },
    "modularity": {
        "nl": "Hoe duidelijk het netwerk uit groepjes bestaat die vooral onderling samenwerken (boven 0,3 is duidelijk).",
        "en": "How clearly the network splits into groups that mostly work among themselves (above 0.3 is clear).",
    },
    "communities": {
        "nl": "Het aantal groepjes (van twee of meer) die vooral onderling samenwerken.",
        "en": "The number of groups (of two or more) that mostly work among themselves.",
    },
    # per organisation
    "degree": {
        "nl": "Met hoeveel andere organisaties deze organisatie samenwerkt.",
        "en": "With how many other organisations this organisation works.",
    },
    "weighted_degree": {
        "nl": "Hoeveel samenwerking deze organisatie in totaal heeft, als je elke band weegt naar hoe vaak jullie samenwerkten.",
        "en": "How much collaboration this organisation has in total, each tie weighted by how often you worked together.",
    },
    "betweenness": {
        "nl": "Hoe vaak deze organisatie op de kortste weg tussen twee anderen ligt: een bruggenbouwer.",
        "en": "How often this organisation lies on the shortest route between two others: a bridge builder.",
    },
    "betweenness_weighted": {
        "nl": "Hetzelfde als tussenpositie, maar sterke banden tellen als kortere wegen.",
        "en": "Like betweenness, but strong ties count as shorter routes.",
    },
    "closeness": {
        "nl": "Hoe dichtbij deze organisatie gemiddeld bij alle anderen staat (in stappen).",
        "en": "How close this organisation is to all others on average (in steps).",
    },
    "harmonic": {
        "nl": "Hoe goed deze organisatie de anderen kan bereiken; ook bruikbaar als het netwerk uit losse delen bestaat.",
        "en": "How well this organisation can reach the others; also works when the network has separate parts.",
    },
    "eigenvector": {
        "nl": "Hoe goed deze organisatie verbonden is met organisaties die zelf goed verbonden zijn.",
        "en": "How well this organisation is connected to organisations that are well connected themselves.",
    },
    "core_number": {
        "nl": "Hoe diep deze organisatie in de kern zit: het hoogste k waarbij ze hoort bij een groep waarin iedereen minstens k partners heeft.",
        "en": "How deep in the core this organisation sits: the highest k at which it belongs to a group where everyone has at least k partners.",
    },
    "clustering": {
        "nl": "Welk deel van de partners van deze organisatie ook met elkaar samenwerkt.",
        "en": "The share of this organisation's partners who also work with each other.",
    },
    "constraint": {
        "nl": "Hoe ingesloten deze organisatie is: hoog als al haar partners elkaar ook kennen (weinig eigen bruggen).",
        "en": "How hemmed in this organisation is: high when all its partners know each other (few own bridges).",
    },
    "effective_size": {
        "nl": "Met hoeveel echt verschillende kringen deze organisatie contact heeft.",
        "en": "With how many truly different circles this organisation is in contact.",
    },
    # brokerage (Gould & Fernandez), by sector
    "coordinator": {
        "nl": "Verbindt twee organisaties uit de eigen sector die elkaar niet direct kennen.",
        "en": "Connects two organisations from its own sector that do not know each other directly.",
    },
    "itinerant": {
        "nl": "Verbindt twee organisaties uit dezelfde andere sector, als buitenstaander (consultant).",
        "en": "Connects two organisations from the same other sector, as an outsider (consultant).",
    },
    "gatekeeper": {
        "nl": "Laat een organisatie van buiten binnen bij de eigen sector.",
        "en": "Lets an outside organisation in to its own sector.",
    },
    "representative": {
        "nl": "Brengt de eigen sector in contact met een organisatie van buiten.",
        "en": "Brings its own sector in contact with an outside organisation.",
    },
    "liaison": {
        "nl": "Verbindt twee organisaties uit twee verschillende andere sectoren.",
        "en": "Connects two organisations from two different other sectors.",
    },
    "brokerage_total": {
        "nl": "Voor hoeveel paren die elkaar niet kennen deze organisatie de schakel is.",
        "en": "For how many pairs who do not know each other this organisation is the link.",
    },
    # silos
    "ei_index": {
        "nl": "Werkt men vooral binnen de eigen sector (-1) of vooral met andere sectoren (+1)?",
        "en": "Do they work mostly within their own sector (-1) or mostly with other sectors (+1)?",
    },
    "mixing_matrix": {
        "nl": "Hoeveel samenwerkingen er zijn tussen elke twee sectoren.",
        "en": "How many ties there are between each pair of sectors.",
    },
    "assortativity": {
        "nl": "Of organisaties vooral met de eigen sector samenwerken (+1), willekeurig (0) of juist met andere (-1).",
        "en": "Whether organisations mostly work with their own sector (+1), at random (0) or with others (-1).",
    },
    "nmi": {
        "nl": "Hoeveel de groepjes in het netwerk samenvallen met de sectoren (0 = niet, 1 = precies).",
        "en": "How much the groups in the network coincide with the sectors (0 = not at all, 1 = exactly).",
    },
    "community_sectors": {
        "nl": "Welke sectoren samen in één groepje zitten.",
        "en": "Which sectors sit together in one group.",
    },
    # resilience
    "articulation_points": {
        "nl": "Organisaties zonder wie het netwerk in losse delen uiteenvalt.",
        "en": "Organisations without whom the network falls apart into separate parts.",
    },
    "bridges": {
        "nl": "Samenwerkingen die de enige verbinding zijn tussen twee delen van het netwerk.",
        "en": "Ties that are the only connection between two parts of the network.",
    },
    "fragmentation": {
        "nl": "Welk deel van de paren die elkaar nu via anderen bereiken, elkaar kwijtraakt als deze organisatie wegvalt.",
        "en": "The share of pairs that now reach each other through others and would lose contact if this organisation left.",
    },
    "edge_cut": {
        "nl": "Het kleinste aantal samenwerkingen dat moet wegvallen om het grootste deel te splitsen.",
        "en": "The fewest ties that must disappear to split the largest part.",
    },
    "node_cut": {
        "nl": "Het kleinste aantal organisaties dat moet wegvallen om het grootste deel te splitsen.",
        "en": "The fewest organisations that must leave to split the largest part.",
    },
    "component_size": {
        "nl": "Hoeveel organisaties in het grootste samenhangende deel zitten (daar gaan de sneden over).",
        "en": "How many organisations are in the largest connected part (the cuts are about that part).",
    },
    "edge_connectivity": {
        "nl": "Hoeveel samenwerkingen minstens moeten wegvallen voordat het grootste deel splitst.",
        "en": "How many ties at least must disappear before the largest part splits.",
    },
    "node_connectivity": {
        "nl": "Hoeveel organisaties minstens moeten wegvallen voordat het grootste deel splitst.",
        "en": "How many organisations at least must leave before the largest part splits.",
    },
    # one organisation's view
    "ego_network": {
        "nl": "De organisatie, haar directe partners en de samenwerking tussen die partners.",
        "en": "The organisation, its direct partners and the ties among those partners.",
    },
    "introduction_path": {
        "nl": "De keten van sterkste bestaande samenwerkingen van A naar B: wie kan ons voorstellen?",
        "en": "The chain of strongest existing ties from A to B: who can introduce us?",
    },
    "suggestions": {
        "nl": "Organisaties die nog niet samenwerken maar veel gemeenschappelijke partners hebben.",
        "en": "Organisations that do not yet work together but share many partners.",
    },
    "adamic_adar": {
        "nl": "Gedeelde partners, waarbij een partner met weinig contacten zwaarder telt.",
        "en": "Shared partners, where a partner with few contacts counts more.",
    },
    "resource_allocation": {
        "nl": "Gedeelde partners, waarbij een partner met veel contacten nog minder telt.",
        "en": "Shared partners, where a partner with many contacts counts even less.",
    },
    # evolution
    "newcomers": {
        "nl": "Organisaties die dit jaar voor het eerst in het netwerk staan.",
        "en": "Organisations that are in the network for the first time this year.",
    },
    "new_ties": {
        "nl": "Samenwerkingen die er dit jaar wel zijn en vorig jaar niet.",
        "en": "Ties that exist this year but did not last year.",
    },
    "lost_ties": {
        "nl": "Samenwerkingen die er vorig jaar waren en dit jaar niet meer.",
        "en": "Ties that existed last year but no longer this year.",
    },
}

SECTOR_LABELS: dict[str, dict[str, str]] = {
    "housing": {"nl": "wonen", "en": "housing"},
    "welfare": {"nl": "welzijn", "en": "welfare"},
    "municipality": {"nl": "gemeente", "en": "municipality"},
    "province": {"nl": "provincie", "en": "province"},
    "mental_health": {"nl": "ggz", "en": "mental health"},
    "addiction_care": {"nl": "verslavingszorg", "en": "addiction care"},
    "library": {"nl": "bibliotheek", "en": "library"},
    "food_aid": {"nl": "voedselhulp", "en": "food aid"},
    "knowledge_institute": {"nl": "kennisinstelling", "en": "knowledge institute"},
    "education": {"nl": "onderwijs", "en": "education"},
    "health": {"nl": "gezondheid", "en": "health"},
    "funds": {"nl": "fondsen", "en": "funds"},
    "media": {"nl": "media", "en": "media"},
    "residents_initiative": {"nl": "bewonersinitiatief", "en": "residents' initiative"},
    "other": {"nl": "overig", "en": "other"},
}

BROKERAGE_CONVENTION = {
    "nl": (
        "Rollen volgens Gould & Fernandez, op sector. Het netwerk heeft geen richting: elk paar "
        "a–c dat elkaar niet kent en allebei met v samenwerkt, telt één keer. Is alleen a of c "
        "van de sector van v, dan is v in de ene richting poortwachter en in de andere "
        "vertegenwoordiger; zo'n paar telt bij allebei (die twee tellen zijn dus gelijk), "
        "en één keer in het totaal."
    ),
    "en": (
        "Roles after Gould & Fernandez, by sector. The network is undirected: each pair a–c "
        "that is not tied and both work with v counts once. When exactly one of a, c shares "
        "v's sector, v is a gatekeeper in one direction and a representative in the other; "
        "such a pair counts under both (so those two counts are equal) and once in the total."
    ),
}

TEMPLATES: dict[str, dict[str, str]] = {
    "shared": {"nl": "werken allebei samen met {names}", "en": "both work with {names}"},
    "sectors": {
        "nl": "verschillende sectoren ({a} en {b})",
        "en": "different sectors ({a} and {b})",
    },
    "distance": {"nl": "{km} km uit elkaar", "en": "{km} km apart"},
    "betweenness_exact": {"nl": "exact berekend", "en": "computed exactly"},
    "betweenness_sampled": {
        "nl": "benaderd met k={k} steekproef-organisaties (seed {seed}), want het netwerk heeft {n} organisaties",
        "en": "approximated with k={k} sampled organisations (seed {seed}), because the network has {n} organisations",
    },
    "path_direct": {
        "nl": "{source} en {target} werken al direct samen.",
        "en": "{source} and {target} already work together directly.",
    },
    "path_via": {
        "nl": "{source} kan {target} bereiken via {via}.",
        "en": "{source} can reach {target} through {via}.",
    },
}

_WORDS = {
    "and": {"nl": "en", "en": "and"},
    "others": {"nl": "{n} andere", "en": "{n} others"},
}


def explain(metric: str, lang: str = "nl") -> str:
    """The one-sentence explanation of ``metric`` in ``lang`` ("nl" or "en").

    Examples
    --------
    >>> explain("density", "en")
    'The share of all possible ties that exist (0 = none, 1 = everyone with everyone).'
    """
    return EXPLANATIONS[metric][lang]


def text(key: str, lang: str = "nl", **values: object) -> str:
    """A sentence from ``TEMPLATES`` with ``values`` filled in.

    Examples
    --------
    >>> text("distance", km=8)
    '8 km uit elkaar'
    """
    return TEMPLATES[key][lang].format(**values)


def sector_label(sector: str, lang: str = "nl") -> str:
    """The plain name of a sector code (the code itself if it is unknown).

    Examples
    --------
    >>> sector_label("food_aid"), sector_label("food_aid", "en"), sector_label("bakery")
    ('voedselhulp', 'food aid', 'bakery')
    """
    return SECTOR_LABELS.get(sector, {}).get(lang, sector)


def join_names(names: Sequence[str], *, lang: str = "nl", limit: int = 3) -> str:
    """A readable list: "A", "A en B", "A, B en C", "A, B, C en 2 andere".

    Examples
    --------
    >>> join_names(["A", "B", "C", "D", "E"])
    'A, B, C en 2 andere'
    >>> join_names(["A", "B"], lang="en")
    'A and B'
    """
    shown = list(names[:limit])
    rest = len(names) - len(shown)
    if rest > 0:
        shown.append(_WORDS["others"][lang].format(n=rest))
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} {_WORDS['and'][lang]} {shown[-1]}"
