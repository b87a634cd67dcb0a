"""The collaboration network of the Alliantie van Kracht tegen Armoede.

Build the graph from a registry snapshot with :func:`build_graph`, then analyse it:

- ``netwerk.metrics``: whole-network figures (density, parts, centralization, ...)
- ``netwerk.centrality``: per-organisation positions (betweenness, eigenvector, ...)
- ``netwerk.brokerage``: Gould & Fernandez brokerage roles by sector
- ``netwerk.silos`` and ``netwerk.communities``: E-I index, mixing, communities vs sectors
- ``netwerk.resilience``: articulation points, bridges, fragmentation, minimum cuts
- ``netwerk.ego``, ``netwerk.paths``, ``netwerk.suggestions``: one organisation's view
- ``netwerk.evolution``: the network per year
- ``netwerk.report``: everything in one cached, JSON-ready dict
- ``netwerk.export`` and ``netwerk.export_tables``: GraphML, GEXF, Cytoscape, CSV, Kumu

Texts for people live in ``netwerk.messages``; errors in ``netwerk.errors``.
Import functions from their modules (``from netwerk.build import build_graph``); the
package itself imports nothing, so importing it has no side effects.
"""
