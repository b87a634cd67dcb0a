"""Every page names its icon, and the icon is served from our origin.

Without a ``<link rel="icon">`` the browser asks for ``/favicon.ico``, gets a 404 and logs
it as a console error (Lighthouse's ``errors-in-console``, see bench/lighthouse.py).
"""

from __future__ import annotations

import re

import pytest

ICON = re.compile(r'<link rel="icon" href="(/static/[^"]+)" type="image/svg\+xml">')


@pytest.mark.parametrize(
    "path", ["/", "/zoeken?q=9501", "/embed", "/embed?q=9501", "/netwerk", "/toegankelijkheid"]
)
def test_page_links_an_icon_that_is_served(client, path):
    page = client.get(path)
    assert page.status_code == 200
    found = ICON.search(page.text)
    assert found is not None, "no <link rel=icon> in the page's head"
    assert found.start() < page.text.index("</head>")
    icon = client.get(found.group(1))
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")
