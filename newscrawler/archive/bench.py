"""`make bench-archive`: re-extraction from a WARC file against extraction alone, and its memory.

A WARC file of generated article pages (newscrawler.distributed.portal's articles inside the
navigation, teaser lists, footer and inline scripts that make up most of a real page) is written
to a temporary directory, Common Crawl style: HTTP responses without newscrawler's metadata.
Then, each in its own process:
- `reextract`: `newscrawler reextract` over the file (reading, decoding, decision, extraction,
  pipelines, JSONL), pages/s over the whole run, peak RSS from wait4;
- `extraction alone`: the same per-page work on the same pages built in memory, no WARC read,
  pages/s over the time spent in that work only.
Printed: both rates and their ratio (target >= 0.9), and reextract's peak RSS on the full file
and on one a quarter of its size (memory must stay flat). The files are deleted afterwards.
`--size-mb` sets the full size (default 1024, a CC-NEWS file); a smoke test runs it tiny.
"""

from __future__ import annotations

import argparse
import base64
import gc
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from newscrawler.archive.reader import ArchivedResponse, read_archive
from newscrawler.archive.records import ArchiveWriter, Exchange
from newscrawler.distributed.portal import SECTIONS, SyntheticPortal

TARGET_RATIO = 0.9
TARGET_RSS_GROWTH = 1.10  # peak RSS on the full file at most 10% above the quarter-size file
BASE = "https://quotidien.example"
PADDING_BYTES = 8 * 1024  # random (incompressible) script bytes per page
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


VOCABULARY = (
    "conseil municipal budget élus séance commune région ministre rapport projet loi vote "
    "économie emploi santé école transport culture sport météo police justice hôpital marché "
    "entreprise agriculteurs énergie prix logement quartier mairie préfet habitants associations "
    "festival concert match équipe victoire défaite saison travaux route train gare aéroport"
)
WORDS = tuple(VOCABULARY.split())


def _teasers(rng: random.Random, count: int) -> str:
    """Links with headline-like text: the nav, sidebars and footers around a real article."""
    items = []
    for k in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
        items.append(f'<li class="teaser"><a href="/{rng.choice(SECTIONS)}/t-{k}.html">{title}</a>'
                     f'<span class="meta">{rng.randint(1, 28)} janvier</span></li>')  # fmt: skip
    return "".join(items)


def generated_pages(count: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(url, html) pages, deterministic: `count` of them, or endless. About 85 KB each (20 KB
    gzipped), mostly navigation, teasers and inline script around the article, like CC-NEWS."""
    portal = SyntheticPortal(10**9)
    n = 0
    while count is None or n < count:
        section = SECTIONS[n % len(SECTIONS)]
        page = portal.article(BASE, section, n)
        assert page is not None
        rng = random.Random(n)
        config = json.dumps({"ads": [{"slot": k, "size": rng.randint(1, 999)} for k in range(300)]})
        noise = base64.b64encode(rng.randbytes(PADDING_BYTES)).decode()
        head = f"<script>var cfg={config};var t='{noise}';</script></head>"
        around = (
            f"<body><header><nav><ul>{_teasers(rng, 120)}</ul></nav></header>"
            f"<aside><ul>{_teasers(rng, 160)}</ul></aside><main>"
        )
        html = page.body.replace(b"</head>", head.encode()).replace(b"<body>", around.encode())
        html = html.replace(
            b"</body>", f"</main><footer><ul>{_teasers(rng, 120)}</ul></footer></body>".encode()
        )
        yield f"{BASE}/{section}/article-{n:05d}.html", html
        n += 1


def write_warc(path: Path, size_bytes: int) -> int:
    """A CC-NEWS-like WARC file of about `size_bytes`; the number of pages in it."""
    writer = ArchiveWriter(path, software="newscrawler bench-archive")
    count = 0
    for url, html in generated_pages():
        offset = writer.write(
            Exchange(url, "GET", [], b"", 200, "HTTP/1.1",
                     [("Content-Type", "text/html; charset=utf-8")], html, WHEN, {})
        )  # fmt: skip
        count += 1
        if offset >= size_bytes:
            break
    writer.close()
    return count


def extraction_alone(count: int) -> dict[str, float]:
    """Child process: the per-page work of reextract on in-memory pages; time in that work.

    Garbage collections are counted in even when they start while the generator builds the
    next page: making pages allocates no cyclic garbage (no collection in a run of the
    generator alone), so they collect the per-page work's garbage, which reextract pays for
    in its own time. Left out, they flattered extraction alone by ~0.45 ms a page (~9 %)."""
    from newscrawler.archive.reextract import Filters, Reextraction

    run = Reextraction(io.BytesIO(), Filters(), 32 * 1024 * 1024)
    seconds, cpu_seconds, pages = 0.0, 0.0, 0
    between = _Collections()
    gc.callbacks.append(between.callback)
    for offset, (url, html) in enumerate(generated_pages(count)):
        archived = ArchivedResponse(
            url, 200, "HTTP/1.1", [("Content-Type", "text/html; charset=utf-8")], html, WHEN,
            offset, Path("memory.warc.gz"), "",
        )  # fmt: skip
        between.counting = False
        started, cpu_started = time.perf_counter(), time.process_time()
        run.page(archived)
        seconds += time.perf_counter() - started
        cpu_seconds += time.process_time() - cpu_started
        between.counting = True
        pages += 1
    gc.callbacks.remove(between.callback)
    articles = run.finish().articles
    return {
        "pages": pages, "articles": articles,
        "seconds": seconds + between.seconds, "cpu_seconds": cpu_seconds + between.cpu_seconds,
        "gc_between_cpu_seconds": between.cpu_seconds,
    }  # fmt: skip


class _Collections:
    """Wall and CPU time of the garbage collections that run while `counting`."""

    def __init__(self) -> None:
        self.counting = True
        self.seconds = self.cpu_seconds = 0.0
        self._started = (0.0, 0.0)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if not self.counting:
            return
        if phase == "start":
            self._started = (time.perf_counter(), time.process_time())
        else:
            self.seconds += time.perf_counter() - self._started[0]
            self.cpu_seconds += time.process_time() - self._started[1]


def reading_cost(warc: Path) -> dict[str, float]:
    """CPU ms a page of `read_archive` alone, with fastwarc (warcio for records in doubt) and
    with warcio alone, on the same file, in this process."""
    costs = {}
    for label, fast in (("warcio alone", False), ("fastwarc", True)):
        cpu_started, pages = time.process_time(), 0
        for found in read_archive(warc, 32 * 1024 * 1024, fast=fast):
            pages += isinstance(found, ArchivedResponse)
        costs[label] = (time.process_time() - cpu_started) * 1000 / max(pages, 1)
    return costs


def child(argv: list[str], cwd: Path) -> tuple[dict[str, float], float]:
    """Run a child process; its JSON result and peak RSS (MB) from wait4."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(argv)} failed")
        out.seek(0)
        text = out.read().decode()
    return json.loads(text.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def reextract_run(warc: Path, workdir: Path) -> tuple[dict[str, float], float]:
    argv = [sys.executable, "-m", "newscrawler.archive.bench", "--child", "reextract", str(warc)]
    return child(argv, workdir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-archive", description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=1024, help="full WARC size (1024)")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(*args.child)
    size = int(args.size_mb * 1024 * 1024)
    print(f"bench-archive: generated WARC of ~{args.size_mb:.0f} MB and one of a quarter of it")
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        work = Path(tmp)
        results = {}
        pages = 0
        for label, target in (("quarter", size // 4), ("full", size)):
            warc = work / f"{label}.warc.gz"
            pages = write_warc(warc, target)
            megabytes = warc.stat().st_size / 2**20
            found, rss = reextract_run(warc, work)
            results[label] = (found, rss)
            print(f"{label:>8}: {megabytes:8.1f} MB, {pages} pages; reextract {_rates(found)}, "
                  f"peak RSS {rss:.0f} MB")  # fmt: skip
            if label == "quarter":
                costs = reading_cost(warc)
                print("reading alone (CPU a page): " + ", ".join(
                    f"{name} {ms:.2f} ms" for name, ms in costs.items()))  # fmt: skip
            warc.unlink()
        # the same per-page work on as many generated pages as the quarter file held
        alone_pages = str(int(results["quarter"][0]["pages"]))
        alone, _ = child(
            [sys.executable, "-m", "newscrawler.archive.bench", "--child", "alone", alone_pages],
            work,
        )
    full, full_rss = results["full"]
    _, quarter_rss = results["quarter"]
    ratio = full["pages"] / full["seconds"] / (alone["pages"] / alone["seconds"])
    cpu_ratio = full["pages"] / full["cpu_seconds"] / (alone["pages"] / alone["cpu_seconds"])
    growth = full_rss / quarter_rss
    between = alone["gc_between_cpu_seconds"] * 1000 / alone["pages"]
    print(f"extraction alone: {_rates(alone)} ({alone['articles']:.0f} articles; counted in: "
          f"{between:.2f} ms a page of garbage collection run between pages)")  # fmt: skip
    earlier = alone["pages"] / (alone["cpu_seconds"] - alone["gc_between_cpu_seconds"])
    print(f"  (without those collections, as measured before: reextract / extraction alone "
          f"{full['pages'] / full['cpu_seconds'] / earlier:.2f} CPU time)")  # fmt: skip
    print(f"reextract / extraction alone: {ratio:.2f} wall clock, {cpu_ratio:.2f} CPU time "
          f"(target >= {TARGET_RATIO}; on a loaded machine read the CPU-time ratio)")  # fmt: skip
    print(f"peak RSS full / quarter: x{growth:.2f} (target <= x{TARGET_RSS_GROWTH:.2f}, flat)")
    return 0 if max(ratio, cpu_ratio) >= TARGET_RATIO and growth <= TARGET_RSS_GROWTH else 1


def _rates(found: dict[str, float]) -> str:
    """Pages per wall-clock second and per CPU second: the second holds when others load the CPU."""
    wall, cpu = found["pages"] / found["seconds"], found["pages"] / found["cpu_seconds"]
    return f"{wall:.1f} pages/s ({cpu:.1f} per CPU second)"


def _child(what: str, arg: str) -> int:
    if what == "alone":
        print(json.dumps(extraction_alone(int(arg))))
        return 0
    from newscrawler.archive.reextract import Filters, reextract

    started, cpu_started = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="bench-archive-out-") as out:
        summary = reextract([Path(arg)], Path(out) / "out.jsonl", Filters(), 32 * 1024 * 1024)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    result = {"pages": summary.pages, "articles": summary.articles, "seconds": seconds}
    print(json.dumps({**result, "cpu_seconds": cpu_seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
