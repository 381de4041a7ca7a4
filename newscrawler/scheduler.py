"""Scrapy's scheduler with its request queue on disk, also when no JOBDIR is set.

Why: a portal's sitemaps list every article at once, so a crawl queues thousands of requests
within seconds. In Scrapy's memory queue each one costs about 2 KB for the whole crawl, and peak
memory grows with the portal. Scrapy's disk queues (queuelib, the ones JOBDIR uses) keep them
serialized in files instead, so memory stays flat as the portal grows.

Without JOBDIR the queue lives in a private temporary directory (NEWSCRAWLER_QUEUE_DIR, default:
the system's), removed when the spider closes: nothing is resumable, exactly as with Scrapy's
memory queue. A run that was killed cannot remove its directory; the next run does (the
directory name holds the process id, and only directories of processes gone are removed).
With JOBDIR, this is Scrapy's scheduler unchanged (resumable crawls). A request that cannot be
serialized stays in memory (Scrapy's fallback, counted as `scheduler/unserializable`).
NEWSCRAWLER_QUEUE_ON_DISK=False restores the memory queue.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Self

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)
PREFIX = "newscrawler-queue-"
_OWNER = re.compile(rf"^{PREFIX}(\d+)-")


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_queues(parent: Path) -> list[Path]:
    """Remove the queue directories that killed runs left in `parent`; returns them."""
    removed = []
    for path in sorted(parent.glob(f"{PREFIX}*")):
        owner = _OWNER.match(path.name)
        if owner and path.is_dir() and not process_alive(int(owner.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    if removed:
        logger.info("Removed %d request queue(s) left by killed runs in %s", len(removed), parent)
    return removed


class SpillingScheduler(Scheduler):
    """Scrapy's Scheduler, with its disk queue in a temporary directory when JOBDIR is unset."""

    spill_dir: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if job_dir(settings) or not settings.getbool("NEWSCRAWLER_QUEUE_ON_DISK", True):
            return super().from_crawler(crawler)
        parent = Path(settings.get("NEWSCRAWLER_QUEUE_DIR") or tempfile.gettempdir())
        remove_stale_queues(parent)
        spill_dir = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent)
        try:
            scheduler = cls._build(crawler, spill_dir)
        except BaseException:
            shutil.rmtree(spill_dir, ignore_errors=True)
            raise
        scheduler.spill_dir = spill_dir
        logger.debug("request queue on disk in %s", spill_dir)
        return scheduler

    @classmethod
    def _build(cls, crawler: Crawler, spill_dir: str) -> Self:
        """Scrapy's own from_crawler, with `spill_dir` standing in for the job directory (only the
        queue uses it: the duplicate filter, built from the settings, stays in memory)."""
        from scrapy.utils.misc import build_from_crawler, load_object

        settings = crawler.settings
        dupefilter_cls = load_object(settings["DUPEFILTER_CLASS"])
        return cls(
            dupefilter=build_from_crawler(dupefilter_cls, crawler),
            jobdir=spill_dir,
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )

    def close(self, reason: str) -> Any:
        try:
            return super().close(reason)
        finally:
            if self.spill_dir is not None:
                shutil.rmtree(self.spill_dir, ignore_errors=True)
