import networkx as nx
import pytest

from netwerk.errors import InvalidOption, NoPath, UnknownOrganisation
from netwerk.paths import introduction_path


@pytest.fixture
def chain():
    # A-B is a weak direct tie (1 shared activity, length 1); A-C-B are strong
    # (4 shared activities each, length 0.25 + 0.25 = 0.5); D is on its own
    G = nx.Graph()
    G.add_nodes_from((v, {"name": f"Org {v}", "sector": "welfare"}) for v in "ABCD")
    G.add_edge("A", "B", weight=1.0, count=1, layers={"werkgroep": 1})
    G.add_edge("A", "C", weight=4.0, count=4, layers={"project": 4})
    G.add_edge("C", "B", weight=4.0, count=4, layers={"project": 4})
    return G


def test_path_follows_the_strongest_ties(chain):
    result = introduction_path(chain, "A", "B")
    assert [p["id"] for p in result["path"]] == ["A", "C", "B"]
    assert result["distance"] == pytest.approx(0.5)
    assert result["intermediaries"] == 1
    assert [s["weight"] for s in result["steps"]] == [4.0, 4.0]
    assert result["sentence"] == {
        "nl": "Org A kan Org B bereiken via Org C.",
        "en": "Org A can reach Org B through Org C.",
    }


def test_direct_tie_when_it_is_strongest(chain):
    chain["A"]["B"]["weight"] = 5.0  # now 0.2 < 0.5
    result = introduction_path(chain, "A", "B")
    assert [p["id"] for p in result["path"]] == ["A", "B"]
    assert result["sentence"]["nl"] == "Org A en Org B werken al direct samen."


def test_no_path(chain):
    with pytest.raises(NoPath, match="geen keten van samenwerkingen van 'Org A' naar 'Org D'"):
        introduction_path(chain, "A", "D")


@pytest.mark.parametrize(("source", "target"), [("A", "Z"), ("Z", "A"), (["A"], "B")])
def test_unknown_organisation(chain, source, target):
    with pytest.raises(UnknownOrganisation):
        introduction_path(chain, source, target)


def test_same_organisation(chain):
    with pytest.raises(InvalidOption, match="twee verschillende"):
        introduction_path(chain, "A", "A")
