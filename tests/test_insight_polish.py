"""/chain/, /dashboard/ and /match/ as a first visitor reads them (issue 21): lists of links end without a
separator, the dashboard opens with headline figures, the match page says what it did not work out."""

import re

import pytest

from .factories import enterprise, park, space

pytestmark = pytest.mark.django_db


def texts(html, tag):
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)]


def test_no_list_of_links_on_the_chain_page_ends_with_a_separator(client, demo):
    host = park("缺口园")
    enterprise("一家", segments=["car-t"], park=host)
    space(host, use="wet_lab", area=300)
    html = client.get("/chain/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    gaps = html[html.index('class="gaps"') :]
    cells = texts(gaps, "dd")
    assert cells and gaps.count('href="/hospitals/') >= 1  # gene therapy: one hospital and no institute
    assert [c for c in cells if re.search(r"[;；,，、]\s*$", c) or re.match(r"^\s*[;；,，、]", c)] == []
