"""folium elements whose rendered output is used as it is, never read again as a template.

branca's ``MacroElement.render`` wraps each rendered piece (a marker's script, a popup's
HTML) in a new ``Element(text)``, and ``Element`` compiles its text as a Jinja template
before rendering it. Two things follow:

- **Template injection.** Text from the registry ends up in that script — a place named
  ``Buurthuis {{ 7*7 }}`` is rendered as "Buurthuis 49", and Jinja expressions reach
  Python objects. Data must stay data.
- **Time.** Compiling a template per marker and per tooltip took about 45 of the 50 ms
  of a results page with 20 places.

``RawMacro`` renders the macros of an element and adds their output as :class:`Raw`
text. Each folium class the maps use has a subclass here with ``RawMacro`` placed just
before ``MacroElement`` in its method order, so folium's own ``render`` (links, checks,
GeoJSON styling) still runs and then hands over to ``RawMacro.render``.
:func:`check_tree` refuses a map that still holds an element of another kind, so a new
folium class cannot slip in unprotected.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.map import FitBounds
from folium.plugins import MarkerCluster


class Raw(Element):
    """Text that is already rendered: returned as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawMacro(MacroElement):
    """``MacroElement`` whose rendered header, html and script are added as :class:`Raw`."""

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self.get_name()} is not in a Figure: it cannot be rendered")
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""  # the output went to the figure (branca's MacroElement returns nothing)


# folium's Marker.render takes no keyword arguments; the order of calls is as described above.


class Map(folium.Map, RawMacro):
    pass


class TileLayer(folium.TileLayer, RawMacro):
    pass


class Marker(folium.Marker, RawMacro):  # type: ignore[misc]
    pass


class CircleMarker(folium.CircleMarker, RawMacro):  # type: ignore[misc]
    pass


class Circle(folium.Circle, RawMacro):  # type: ignore[misc]
    pass


class PolyLine(folium.PolyLine, RawMacro):
    pass


class GeoJson(folium.GeoJson, RawMacro):
    pass


class Cluster(MarkerCluster, RawMacro):
    pass


class Bounds(FitBounds, RawMacro):
    pass


def check_tree(element: Element) -> None:
    """Raise ``TypeError`` if ``element`` or a descendant is a folium macro not made safe here.

    >>> m = Map(location=[53.0, 6.9], tiles=None)
    >>> Marker([53.0, 6.9]).add_to(m) and check_tree(m)
    >>> folium.Marker([53.1, 6.9]).add_to(m) and check_tree(m)
    Traceback (most recent call last):
    ...
    TypeError: Marker is rendered by branca's MacroElement, which reads its output as a template: use kaart.elements
    """
    if isinstance(element, MacroElement) and not isinstance(element, RawMacro):
        raise TypeError(
            f"{type(element).__name__} is rendered by branca's MacroElement, which reads its "
            "output as a template: use kaart.elements"
        )
    for child in element._children.values():
        check_tree(child)
