"""Each stage's options, built from its settings group (stages never read Settings).

Options fields named like a group's fields are filled from them by ``fill``; what is derived
(a resolved User-Agent, the taxonomy's sectors, a key file's bytes) is passed explicitly.
tests/project/test_project_settings_wiring.py checks that every setting reaches some options.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, SecretStr

from newsdesk.config import Settings

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from newsdesk.dedup import DedupOptions
    from newsdesk.deliver.digest import DigestOptions
    from newsdesk.deliver.subscriptions import SubscribeOptions
    from newsdesk.domain.access import AccessPolicy
    from newsdesk.domain.retention import RetentionPolicy
    from newsdesk.extract import ExtractOptions
    from newsdesk.fetch import FetchOptions
    from newsdesk.mail.smtp import SmtpOptions
    from newsdesk.members.options import MembersOptions, PaymentOptions
    from newsdesk.pipeline.enrich import EnrichOptions
    from newsdesk.pipeline.ingest import IngestOptions
    from newsdesk.publish.web import SectorInfo, SiteOptions
    from newsdesk.queue import QueueOptions
    from newsdesk.sources import ParseOptions

Options = TypeVar("Options", bound="DataclassInstance")


def fill(options_type: type[Options], *groups: BaseModel, **derived: Any) -> Options:
    """options_type with each field named like a field of the groups taken from there (secrets
    unwrapped), the derived values as given, and its defaults for the rest."""
    names = {field.name for field in dataclasses.fields(options_type)}
    values: dict[str, Any] = {}
    for group in groups:
        for name in type(group).model_fields:
            if name in names and name not in derived:
                if name in values:
                    raise TypeError(f"{name} of {options_type.__name__} is in two groups")
                value = getattr(group, name)
                values[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
    unknown = set(derived) - names
    if unknown:
        raise TypeError(f"{options_type.__name__} has no field {', '.join(sorted(unknown))}")
    return options_type(**values, **derived)


def fetch_options(settings: Settings) -> FetchOptions:
    from newsdesk.fetch import FetchOptions

    return fill(FetchOptions, settings.fetch, user_agent=settings.fetch.resolved_user_agent)


def extract_options(settings: Settings) -> ExtractOptions:
    from newsdesk.extract import ExtractOptions

    del settings  # extraction has no operator-facing settings yet
    return ExtractOptions()


def parse_options(settings: Settings) -> ParseOptions:
    from newsdesk.sources import ParseOptions

    del settings
    return ParseOptions()


def dedup_options(settings: Settings) -> DedupOptions:
    from newsdesk.dedup import DedupOptions

    del settings
    return DedupOptions()


def ingest_options(settings: Settings) -> IngestOptions:
    from newsdesk.pipeline.ingest import IngestOptions

    return fill(
        IngestOptions,
        settings.ingest,
        fetch=fetch_options(settings),
        extract=extract_options(settings),
        parse=parse_options(settings),
        dedup=dedup_options(settings),
    )


def queue_options(settings: Settings) -> QueueOptions:
    """How `newsdesk worker` processes run jobs (their CLI options override some)."""
    from newsdesk.queue import QueueOptions

    return fill(QueueOptions, settings.queue)


def enrich_options(settings: Settings) -> EnrichOptions:
    from newsdesk.pipeline.enrich import EnrichOptions

    # The ingest workers' count sizes enrichment's analysis pool too: `newsdesk ingest` and
    # `run` enrich after each ingest pass, so the two pools take turns (in `newsdesk worker`
    # an enrich job may overlap a poll: more processes than cores for a while).
    return fill(EnrichOptions, settings.enrich, workers=settings.ingest.workers)


def site_sectors(settings: Settings) -> tuple[SectorInfo, ...]:
    """The sectors of the taxonomy in use (parsed once per caller: pass them on)."""
    from newsdesk.enrich.sectors.taxonomy import load_taxonomy
    from newsdesk.publish.web import SectorInfo

    taxonomy = load_taxonomy(settings.enrich.taxonomy_path)
    return tuple(SectorInfo(s.id, s.name, s.description) for s in taxonomy.sectors)


def access_policy(settings: Settings) -> AccessPolicy:
    """Who may read what (domain.access), as the operator set it."""
    from newsdesk.domain.access import AccessPolicy

    return fill(AccessPolicy, settings.pro)


def site_options(settings: Settings, sectors: tuple[SectorInfo, ...]) -> SiteOptions:
    from newsdesk.publish.web import SiteOptions
    from newsdesk.publish.web.options import ProOptions

    return fill(
        SiteOptions,
        settings.site,
        sectors=sectors,
        signing=settings.security.signing_keys,
        policy=access_policy(settings),
        pro=fill(ProOptions, settings.pro, checkout=payment_options(settings).enabled),
        privacy_url=settings.subscribe.privacy_url,
        terms_url=settings.subscribe.terms_url,
    )


def smtp_options(settings: Settings) -> SmtpOptions:
    from newsdesk.mail.smtp import SmtpOptions

    key_path = settings.dkim.key_path
    return fill(
        SmtpOptions,
        settings.smtp,
        dkim_domain=settings.dkim.domain,
        dkim_selector=settings.dkim.selector,
        dkim_private_key=key_path.read_bytes() if key_path else None,
        drop_dir=mail_drop_dir(settings),
    )


def mail_drop_dir(settings: Settings) -> Path:
    """Where messages are written as .eml files when no SMTP host is configured."""
    return settings.store.data_dir / "mail"


def subscribe_options(settings: Settings, sectors: tuple[SectorInfo, ...]) -> SubscribeOptions:
    from newsdesk.deliver.subscriptions import SubscribeOptions

    return fill(
        SubscribeOptions,
        settings.site,
        settings.subscribe,
        **_mail_identity(settings),
        unsubscribe_mailbox=settings.mail.unsubscribe_address,
        smtp=smtp_options(settings),
        sectors=tuple((sector.id, sector.name) for sector in sectors),
    )


def digest_options(settings: Settings, sectors: tuple[SectorInfo, ...]) -> DigestOptions:
    from newsdesk.deliver.digest import DigestOptions

    return fill(
        DigestOptions,
        settings.site,
        settings.digest,
        **_mail_identity(settings),
        sector_names={sector.id: sector.name for sector in sectors},
        workers=settings.smtp.pool_size,
        policy=access_policy(settings),
    )


def _mail_identity(settings: Settings) -> dict[str, Any]:
    """Who mail comes from and the keys its links are signed with (sign-up, digest, members)."""
    return {"mail_from": settings.mail.sender, "signing": settings.security.signing_keys}


def members_options(settings: Settings) -> MembersOptions:
    from newsdesk.members.options import LeadOptions, MembersOptions

    return fill(
        MembersOptions,
        settings.site,
        settings.members,
        **_mail_identity(settings),
        payments=payment_options(settings),
        leads=fill(LeadOptions, settings.pro),
    )


def payment_options(settings: Settings) -> PaymentOptions:
    """Stripe's settings (secrets unwrapped; PaymentOptions leaves them out of its repr)."""
    from newsdesk.members.options import PaymentOptions

    return fill(PaymentOptions, settings.payments)


def retention_policy(settings: Settings) -> RetentionPolicy:
    """How long operational and personal rows are kept (`newsdesk db prune`, daily jobs)."""
    from newsdesk.domain.retention import RetentionPolicy

    return fill(RetentionPolicy, settings.retention)
