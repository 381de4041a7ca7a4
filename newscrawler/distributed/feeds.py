"""Feed storage of a distributed worker: finalize the file only if Redis agrees it may.

The atomic storage renames `<file>.part` to `<file>` when the feed closes. In distributed mode the
rename is fenced: the runs writing the file are first sealed in Redis (open -> finalizing), which
fails if one of them was discarded because its lease expired (the worker stalled and the others
took its articles back). Without the seal, or after Redis was lost mid-run, the file stays `.part`
and is not delivered; the next run emits its articles again. So a finalized file never duplicates
another one.
"""

from __future__ import annotations

import logging
import os
from typing import IO

from redis.exceptions import RedisError

from newscrawler.distributed.config import connect, redis_url
from newscrawler.distributed.state import seal_output
from newscrawler.feeds import AtomicFileFeedStorage, part_path

logger = logging.getLogger(__name__)


class FencedFeedStorage(AtomicFileFeedStorage):
    """AtomicFileFeedStorage whose final rename waits for the Redis seal (see module)."""

    def store(self, file: IO[bytes]) -> None:
        reason = self._refusal()
        if reason is None:
            super().store(file)
            return
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawler/redis/output_not_finalized")
        logger.error(
            "Output NOT finalized, left as %s (%s); the next run emits these articles again",
            part_path(self.final_path),
            reason,
        )

    def _refusal(self) -> str | None:
        """Why the file must not be finalized, or None when it may."""
        if self.crawler is None:
            return None
        url = redis_url(self.crawler.settings)
        if url is None:
            return None
        stats = self.crawler.stats
        if stats is not None and stats.get_value("newscrawler/redis/lost"):
            return "Redis was lost during the run"
        try:
            sealed = seal_output(connect(url), self.final_path)
        except RedisError as error:
            return f"Redis unreachable to seal the run: {error}"
        return None if sealed else "the run was discarded after its lease expired"
