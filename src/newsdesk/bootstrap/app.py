"""The web application: publish's site and API plus deliver's routers, on one store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.bootstrap.checks import require_safe_secret_key
from newsdesk.bootstrap.logging import configure_logging
from newsdesk.bootstrap.options import (
    digest_options,
    site_options,
    site_sectors,
    subscribe_options,
)
from newsdesk.config import Settings

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from newsdesk.store import SqlStore


def build_site(settings: Settings, store: SqlStore) -> FastAPI:
    """The site over store: publish.web's app with the subscriber and digest admin routers."""
    from newsdesk.deliver.digest_web import build_admin_router as build_digest_admin_router
    from newsdesk.deliver.web import build_router
    from newsdesk.publish.web import create_app
    from newsdesk.publish.web.security import require_admin

    sectors = site_sectors(settings)  # the taxonomy is parsed once per app
    return create_app(
        store,
        site_options(settings, sectors),
        routers=[
            build_router(subscribe_options(settings, sectors), store, require_admin),
            build_digest_admin_router(digest_options(settings, sectors), store, require_admin),
        ],
        template_packages=["newsdesk.deliver.web"],
    )


def site_app_from_environment() -> FastAPI:
    """The site for one uvicorn worker process: settings from the environment, its own store."""
    from newsdesk.bootstrap.services import open_store

    settings = Settings()
    configure_logging(settings.log)
    require_safe_secret_key(settings)
    return build_site(settings, open_store(settings, migrate=False))


def serve_site(
    settings: Settings, store: SqlStore, *, host: str, port: int, workers: int = 1
) -> None:
    """Run the site with uvicorn until interrupted (Ctrl-C or SIGTERM shut it down cleanly).

    With workers > 1 uvicorn starts that many processes; each builds the app with
    site_app_from_environment, as a store cannot be shared across processes.
    """
    import uvicorn

    require_safe_secret_key(settings)
    if workers > 1:
        uvicorn.run(
            f"{__name__}:site_app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
        return
    uvicorn.Server(uvicorn_config(build_site(settings, store), host=host, port=port)).run()


def uvicorn_config(app: FastAPI, *, host: str, port: int) -> uvicorn.Config:
    import uvicorn

    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )
