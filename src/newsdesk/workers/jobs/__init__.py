"""Job types, one module each: a module here that defines ``JOB`` (a JobType over
WorkerContext) is a job type. Adding one is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.queue import JobType
    from newsdesk.workers.context import WorkerContext


def job_types() -> list[JobType[WorkerContext]]:
    """Every job type of this package, by module name."""
    found: list[JobType[WorkerContext]] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        job = getattr(module, "JOB", None)
        if job is not None:
            found.append(job)
    names = [job.name for job in found]
    if len(names) != len(set(names)):
        raise RuntimeError(f"two job types share a name: {sorted(names)}")
    return found
