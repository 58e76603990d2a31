"""Within one region of a page, links that read the same go to the same place. A screen
reader's list of links showed "3 sources" once per re-reported story and "RSS" for a sector's
feed beside the site's: the same words for different destinations are guesses. Names here
are what a screen reader reads: the link's text, visually hidden words included."""

from __future__ import annotations

from collections import defaultdict

from lxml import html

PAGES = ("/", "/sectors/oil-gas", "/sectors/rare-earths-commodities", "/trends/emerging")


def shared_names(page: str) -> dict[str, set[str]]:
    """Link names of <main> and of <footer> that lead to more than one place (per region)."""
    tree = html.fromstring(page)
    found: dict[str, set[str]] = {}
    for region in tree.xpath("//main | //footer"):
        targets: dict[str, set[str]] = defaultdict(set)
        for link in region.iter("a"):
            if link.get("href"):
                name = link.get("aria-label") or " ".join(link.text_content().split())
                targets[name].add(link.get("href").split("#")[0])
        found.update({name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1})
    return found


def test_links_sharing_a_name_share_a_destination(demo_client):
    for path in PAGES:
        response = demo_client.get(path)
        assert response.status_code == 200, path
        problems = {
            name: hrefs
            for name, hrefs in shared_names(response.text).items()
            # a headline links to its article in one list and to its story in another
            if not all(href.startswith(("/articles/", "/stories/")) for href in hrefs)
            or len(hrefs) > 2
            or len({href.split("/")[1] for href in hrefs}) < 2
        }
        assert problems == {}, path


def test_a_source_count_names_its_story(demo_client):
    tree = html.fromstring(demo_client.get("/").text)
    counts = [a for a in tree.xpath("//main//a") if "sources" in a.text_content()]
    assert len(counts) >= 2
    for link in counts:
        title = link.xpath("ancestor::article[1]//*[@class='story-title']")[0].text_content()
        assert " ".join(title.split()) in link.text_content()
