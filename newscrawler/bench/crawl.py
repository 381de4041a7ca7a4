"""`make bench-crawl`: the `news` spider against plain Scrapy on a generated local portal.

For each portal size (1,000 and 5,000 articles by default) the synthetic portal
(newscrawler.distributed.portal) is served on 127.0.0.1 port 0, then crawled twice in separate
processes: by `scrapy crawl news` (discovery, extraction, validation, feed) and by a bare Scrapy
SitemapSpider that fetches the same article pages and does nothing with them. Printed: articles/s
of both (Scrapy's own elapsed time, so interpreter start-up is left out), their ratio (target
>= 0.7), and the peak RSS of each crawl process: memory should stay flat as the portal grows
(target: at most +10% each time the portal grows 5x, so x1.10 from 1k to 5k articles).
A third run repeats the news crawl with Scrapy's memory request queue
(NEWSCRAWLER_QUEUE_ON_DISK=0), to show what the disk queue and the sitemap gate save.
Also printed: pages fetched ÷ articles written by the news spider (target < 1.3): following links
from every page, articles included (issue 13), must stay bounded by the URL templates and caps.
`--latency` adds a server response time per page, as a real portal has (default 0: worst case
for the ratio, since extraction then competes with nothing).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from newscrawler.demo.server import Page, Portal, serve
from newscrawler.distributed.portal import SyntheticPortal

TARGET_RATIO = 0.7
TARGET_PAGES_PER_ARTICLE = 1.3  # pages fetched per article written (news spider)
TARGET_RSS_GROWTH = 1.10  # peak RSS may grow at most 10% each time the portal grows 5x
COMMON = (
    "AUTOTHROTTLE_ENABLED=0",
    "ROBOTSTXT_OBEY=1",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "CONCURRENT_ITEMS=8",  # the project's value; Scrapy's default (100) slows both spiders
    "LOG_LEVEL=INFO",
    "TELNETCONSOLE_ENABLED=0",
    "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
)
_ELAPSED = re.compile(r"'elapsed_time_seconds': ([0-9.]+)")
_RESPONSES = re.compile(r"'downloader/response_count': (\d+)")


@dataclass(frozen=True)
class Run:
    """One crawl process: what it delivered, how long Scrapy ran, its peak memory."""

    label: str
    articles: int
    seconds: float
    peak_rss_mb: float
    pages: int = 0  # responses downloaded

    @property
    def pages_per_article(self) -> float:
        return self.pages / self.articles if self.articles else 0.0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def slow(portal: Portal, latency: float) -> Portal:
    """The portal with `latency` seconds of think time per response."""

    def answer(path: str, base: str) -> Page | None:
        time.sleep(latency)
        return portal(path, base)

    return answer if latency > 0 else portal


def run_process(label: str, argv: list[str], cwd: Path, articles_of: Path | None) -> Run:
    """Run a crawl process; its peak RSS comes from wait4 (this process's own child)."""
    env = dict(os.environ)
    if articles_of is None:  # the bare baseline: Scrapy defaults, not the project's settings
        env.pop("SCRAPY_SETTINGS_MODULE", None)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{label} crawl failed ({process.returncode}):\n{text[-3000:]}")
    match = _ELAPSED.search(text)
    seconds = float(match.group(1)) if match else 0.0
    if articles_of is not None:
        with articles_of.open(encoding="utf-8") as lines:
            articles = sum(1 for _ in lines)
    else:
        found = re.search(r"'bare/articles': (\d+)", text)
        articles = int(found.group(1)) if found else 0
    responses = _RESPONSES.search(text)
    pages = int(responses.group(1)) if responses else 0
    return Run(label, articles, seconds, usage.ru_maxrss / 1024, pages)


def settings_args(extra: tuple[str, ...] = ()) -> list[str]:
    return [arg for setting in (*COMMON, *extra) for arg in ("-s", setting)]


def bench_size(size: int, latency: float, workdir: Path) -> tuple[Run, Run, Run]:
    """Crawl a portal of `size` articles: news spider, bare baseline, news with a memory queue."""
    portal = SyntheticPortal(size)
    root = Path(__file__).resolve().parents[2]
    out = workdir / f"news-{size}.jsonl"
    with serve(slow(portal, latency)) as base:
        news = run_process(
            "news",
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/", "-O", str(out),
             *settings_args(("NEWSCRAWLER_REPORT_ENABLED=0",))],
            cwd=root, articles_of=out,
        )  # fmt: skip
        bare = run_process(
            "bare",
            [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).with_name("bare.py")),
             "-a", f"url={base}", *settings_args()],
            cwd=workdir, articles_of=None,
        )  # fmt: skip
        memory = run_process(
            "news+memq",
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/", "-O", str(out),
             *settings_args(("NEWSCRAWLER_REPORT_ENABLED=0", "NEWSCRAWLER_QUEUE_ON_DISK=0"))],
            cwd=root, articles_of=out,
        )  # fmt: skip
    return news, bare, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-crawl", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="portal sizes (default 1000,5000)")
    parser.add_argument("--latency", type=float, default=0.0, help="server seconds per response")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"bench-crawl: portal sizes {sizes}, server latency {args.latency * 1000:.0f} ms/page")
    print(
        f"{'articles':>8} {'spider':>9} {'written':>7} {'seconds':>8} {'art/s':>7} {'peak RSS':>9}"
    )
    results: dict[int, tuple[Run, Run, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        for size in sizes:
            results[size] = bench_size(size, args.latency, Path(tmp))
            for run in results[size]:
                print(
                    f"{size:>8} {run.label:>9} {run.articles:>7} {run.seconds:>8.1f}"
                    f" {run.rate:>7.1f} {run.peak_rss_mb:>7.0f}MB"
                )
    ok = True
    for size, (news, bare, _) in results.items():
        ratio = news.rate / bare.rate if bare.rate else 0.0
        ok &= ratio >= TARGET_RATIO and news.articles == size
        ok &= news.pages_per_article < TARGET_PAGES_PER_ARTICLE
        print(f"{size} articles: news/bare throughput {ratio:.2f} (target >= {TARGET_RATIO}),"
              f" {news.articles}/{size} articles written, pages fetched ÷ articles"
              f" {news.pages_per_article:.3f} (target < {TARGET_PAGES_PER_ARTICLE})")  # fmt: skip
    if len(sizes) > 1:
        smallest, largest = min(sizes), max(sizes)
        labels = ("news spider", "bare Scrapy", "news spider, memory queue")
        for index, label in enumerate(labels):
            small, large = results[smallest][index], results[largest][index]
            growth = large.peak_rss_mb / small.peak_rss_mb if small.peak_rss_mb else 0.0
            per_k = (large.peak_rss_mb - small.peak_rss_mb) * 1000 / (largest - smallest)
            allowed = TARGET_RSS_GROWTH ** math.log(largest / smallest, 5)
            if index == 0:
                ok &= growth <= allowed
            target = f", target <= x{allowed:.2f}" if index == 0 else ""
            print(f"peak RSS of the {label}: {small.peak_rss_mb:.0f}MB at {smallest},"
                  f" {large.peak_rss_mb:.0f}MB at {largest} (x{growth:.2f}{target};"
                  f" {per_k:+.1f}MB per 1,000 more articles)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
