"""The one viewer dependency: routes ask CurrentViewer, the injected resolver answers afresh
on every request, and a site without members sees everyone as anonymous."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.testclient import TestClient

from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.publish.web import SiteOptions, create_app
from newsdesk.publish.web.context import CurrentViewer
from newsdesk.store import open_store

probe = APIRouter()


@probe.get("/probe/viewer")
def viewer_probe(viewer: CurrentViewer) -> dict[str, object]:
    return {"kind": str(viewer.kind), "member": viewer.member_id, "plan": viewer.plan}


def _client(tmp_path, **kwargs):
    store = open_store(f"sqlite:///{tmp_path / 'site.db'}")
    app = create_app(store, SiteOptions(), routers=[probe], **kwargs)
    return store, TestClient(app)


def test_without_a_resolver_everyone_is_anonymous(tmp_path):
    store, client = _client(tmp_path)
    with client:
        answer = client.get("/probe/viewer", headers={"Authorization": "Bearer nd_x"}).json()
    store.close()
    assert answer == {"kind": "anonymous", "member": None, "plan": None}


def test_the_injected_resolver_is_asked_on_every_request(tmp_path):
    plans = iter([Plan.PRO, Plan.FREE])
    calls: list[str] = []

    def resolver(request: Request) -> Viewer:
        calls.append(request.url.path)
        if "x-member" not in request.headers:
            return ANONYMOUS
        return Viewer(ViewerKind.MEMBER, int(request.headers["x-member"]), next(plans))

    store, client = _client(tmp_path, viewer_resolver=resolver)
    with client:
        first = client.get("/probe/viewer", headers={"x-member": "7"}).json()
        second = client.get("/probe/viewer", headers={"x-member": "7"}).json()
        anonymous = client.get("/probe/viewer").json()
    store.close()
    assert first == {"kind": "member", "member": 7, "plan": "pro"}
    assert second == {"kind": "member", "member": 7, "plan": "free"}  # a downgrade shows at once
    assert anonymous["kind"] == "anonymous"
    assert calls == ["/probe/viewer"] * 3


def test_a_resolver_refusing_a_credential_answers_with_its_status(tmp_path):
    def resolver(request: Request) -> Viewer:
        raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})

    store, client = _client(tmp_path, viewer_resolver=resolver)
    with client:
        response = client.get("/probe/viewer")
    store.close()
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_routes_that_read_the_viewer_document_the_api_key_scheme(tmp_path):
    store, client = _client(tmp_path)
    with client:
        document = client.get("/openapi.json").json()
    store.close()
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "read-only" in scheme["description"]
    # The key is optional: {} says anonymous requests are served too (publish/web/openapi.py).
    assert document["paths"]["/probe/viewer"]["get"]["security"] == [{"apiKey": []}, {}]
