"""The home page is rendered once per top list (kept up to a minute), not once per request."""

from __future__ import annotations

from lxml import html

from newsdesk.publish.web.routes import home


def story_ids(page: bytes) -> list[str]:
    return html.fromstring(page).xpath('//article[@class="story-card"]/@aria-labelledby')


def test_home_is_rendered_once_per_top_list(writable_demo, monkeypatch):
    client, _store, _settings = writable_demo
    renders = []
    real_render = home.render

    def counting_render(*args, **kwargs):
        renders.append(args[1])
        return real_render(*args, **kwargs)

    monkeypatch.setattr(home, "render", counting_render)
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert renders == ["home.html"]
    # Security headers come from the middleware, so the cached answer carries them too.
    assert "default-src 'self'" in second.headers["content-security-policy"]
    assert second.headers["content-type"].startswith("text/html")


def test_a_new_top_list_renders_the_page_again(writable_demo, monkeypatch):
    client, _store, _settings = writable_demo
    renders = []
    real_render = home.render

    def counting_render(*args, **kwargs):
        renders.append(args[1])
        return real_render(*args, **kwargs)

    monkeypatch.setattr(home, "render", counting_render)
    before = client.get("/")
    # What an expired top list does: the next request reads and ranks the stories afresh.
    del client.app.state.top_stories
    after = client.get("/")
    assert renders == ["home.html", "home.html"]
    assert after.status_code == 200
    assert story_ids(after.content) == story_ids(before.content)
    assert len(story_ids(after.content)) >= 5
