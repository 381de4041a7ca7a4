"""Atomic local feed storage: nothing is visible at the final path until the feed is complete.

Scrapy's FileFeedStorage writes straight to the target, so a killed run leaves a truncated file
that looks like output. This storage writes `<path>.part` and, when the feed closes, fsyncs it and
renames it over the target in one step. Readers therefore only ever see complete files; a `.part`
left by a killed run is never mistaken for output (and the next run redoes its work).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FileFeedStorage

from newscrawler.signals import feed_finalized

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"


def part_path(path: Path) -> Path:
    """Where the feed is written while the run is in progress."""
    return path.with_name(path.name + PART_SUFFIX)


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes `<path>.part` and renames it to `<path>` on close."""

    def __init__(
        self,
        uri: str,
        *,
        feed_options: dict[str, Any] | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.spider: Spider | None = None
        self.append = self.write_mode == "ab"

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    @property
    def final_path(self) -> Path:
        return Path(self.path)

    def open(self, spider: Spider) -> IO[bytes]:
        self.spider = spider
        target = self.final_path
        target.parent.mkdir(parents=True, exist_ok=True)
        return part_path(target).open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        target, part = self.final_path, part_path(self.final_path)
        if self.append and target.exists():
            self._append_atomically(target, part)
        else:
            os.replace(part, target)
        fsync_dir(target.parent)
        logger.info("Feed finalized: %s", target)
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(
                signal=feed_finalized, path=target, spider=self.spider
            )

    @staticmethod
    def _append_atomically(target: Path, part: Path) -> None:
        """-o semantics (append) without ever exposing a half-appended file."""
        merged = target.with_name(target.name + ".merge")
        with merged.open("wb") as out:
            for source in (target, part):
                with source.open("rb") as src:
                    shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(merged, target)
        part.unlink()


def fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
