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
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        if scheduler.dqdir or not settings.getbool("NEWSCRAWLER_QUEUE_ON_DISK", True):
            return scheduler  # JOBDIR: Scrapy's resumable queue; or the memory queue on request
        parent = Path(settings.get("NEWSCRAWLER_QUEUE_DIR") or tempfile.gettempdir())
        remove_stale_queues(parent)
        scheduler.spill_dir = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent)
        # what JOBDIR would give Scrapy's scheduler: open() builds the disk queue in it
        queue_dir = Path(scheduler.spill_dir, "requests.queue")
        queue_dir.mkdir()
        scheduler.dqdir = str(queue_dir)
        logger.debug("request queue on disk in %s", queue_dir)
        return scheduler

    def close(self, reason: str) -> Any:
        try:
            return super().close(reason)
        finally:
            if self.spill_dir is not None:
                shutil.rmtree(self.spill_dir, ignore_errors=True)
