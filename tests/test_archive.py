"""The web archive without a crawl: WARC records written and read back, every kind of bad input
skipped with its reason, and re-extraction of archived (or Common Crawl style) responses."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator

from newscrawler.archive.changes import ChangeReport
from newscrawler.archive.middleware import archive_path
from newscrawler.archive.reader import ArchivedResponse, Skip, read_archive
from newscrawler.archive.reextract import Filters, Reextraction, filters_for, reextract
from newscrawler.schema import validation_errors
from tests.archive_files import (
    ARTICLE_HTML,
    ARTICLE_URL,
    PNG,
    WHEN,
    append_resource_record,
    article_page,
    exchange,
    shift_content_length,
    three_articles,
    truncate_member,
    write_archive,
)

MAX = 1 << 20


def read(path: Path, max_size: int = MAX) -> list[ArchivedResponse | Skip]:
    return list(read_archive(path, max_size))


def urls(found: list[ArchivedResponse | Skip]) -> list[str]:
    return [r.url for r in found if isinstance(r, ArchivedResponse)]


def reasons(found: list[ArchivedResponse | Skip]) -> list[str]:
    return [r.reason for r in found if isinstance(r, Skip)]


# --- writing ----------------------------------------------------------------------------------


def test_records_round_trip_with_body_as_transferred(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    compressed = gzip.compress(ARTICLE_HTML)
    offsets = write_archive(
        path,
        [
            exchange(ARTICLE_URL, compressed, headers=[("Content-Encoding", "gzip")]),
            exchange("https://daily.example.com/x", b"<p>x</p>",
                     headers=[("Transfer-Encoding", "chunked")],
                     metadata={"method": "GET", "kind": "listing", "hints": {"headline": "H"}}),
        ],
    )  # fmt: skip
    first, second = read(path)
    assert isinstance(first, ArchivedResponse) and isinstance(second, ArchivedResponse)
    assert (first.url, first.status, first.body) == (ARTICLE_URL, 200, compressed)
    assert first.header("content-encoding") == "gzip"
    assert first.date == WHEN  # microseconds kept: crawled_at is read back from it
    assert [first.offset, second.offset] == offsets
    assert second.header("Transfer-Encoding") is None  # the client undid it: not claimed
    assert second.metadata == {"method": "GET", "kind": "listing", "hints": {"headline": "H"}}


def test_warc_1_1_request_response_metadata_one_gzip_member_each(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    (offset,) = write_archive(path, [exchange(ARTICLE_URL, ARTICLE_HTML)])
    with path.open("rb") as handle:
        records = [(r.rec_type, r.rec_headers.protocol) for r in ArchiveIterator(handle)]
    assert records == [(t, "WARC/1.1") for t in ("warcinfo", "request", "response", "metadata")]
    member = gzip.GzipFile(fileobj=io.BytesIO(path.read_bytes()[offset:])).read(200)
    assert member.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in member


def test_archive_appears_only_when_complete(tmp_path: Path) -> None:
    from newscrawler.archive.records import ArchiveWriter

    path = tmp_path / "archive" / "run.warc.gz"
    writer = ArchiveWriter(path)
    writer.write(exchange(ARTICLE_URL, ARTICLE_HTML))
    assert not path.exists() and (tmp_path / "archive" / "run.warc.gz.part").exists()
    writer.close()
    assert path.exists() and not (tmp_path / "archive" / "run.warc.gz.part").exists()


@pytest.mark.parametrize(
    ("value", "feeds", "expected"),
    [
        ("", {}, None),
        ("0", {}, None),
        ("1", {"out/demo/20260101T000000Z.jsonl": {}}, "out/demo/archive/20260101T000000Z.warc.gz"),
        ("/x/y.warc.gz", {}, "/x/y.warc.gz"),
    ],
)
def test_archive_path(value: str, feeds: dict[str, Any], expected: str | None) -> None:
    settings = Settings({"NEWSCRAWLER_ARCHIVE": value, "FEEDS": feeds})
    found = archive_path(settings)
    assert (str(found) if found else None) == expected


def test_archive_path_without_a_feed_goes_under_output_site() -> None:
    found = archive_path(Settings({"NEWSCRAWLER_ARCHIVE": "1"}), "demo")
    assert found is not None and found.parent == Path("output/demo/archive")


def test_schema_accepts_the_optional_archive_field() -> None:
    from newscrawler.extraction.article import extract_article

    article = extract_article(ARTICLE_HTML, ARTICLE_URL)
    assert validation_errors(article) == []
    assert validation_errors({**article, "archive": {"file": "a.warc.gz", "offset": 0}}) == []
    assert validation_errors({**article, "archive": {"file": "a.warc.gz", "offset": -1}})
    assert validation_errors({**article, "archive": {"file": "a.warc.gz"}})


# --- bad input: each a Skip with its reason, and the reading goes on ---------------------------


def cut_after(path: Path, offset: int) -> None:
    path.write_bytes(path.read_bytes()[: offset + 40])


@pytest.mark.parametrize(
    ("damage", "target", "reason"),
    [
        pytest.param(truncate_member, 1, "damaged", id="truncated-gzip-member"),
        pytest.param(cut_after, 2, "truncated", id="file-cut-in-last-record"),
        pytest.param(
            lambda p, o: shift_content_length(p, o, -10), 1, "digest_mismatch",
            id="wrong-content-length",
        ),
    ],
)  # fmt: skip
def test_damaged_record_is_skipped_and_reading_goes_on(
    tmp_path: Path, damage: Any, target: int, reason: str
) -> None:
    path = tmp_path / "a.warc.gz"
    offsets = three_articles(path)
    damage(path, offsets[target])
    found = read(path)
    assert urls(found) == [article_page(n)[0] for n in range(3) if n != target]
    assert reasons(found) == [reason]


def test_non_http_record(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    three_articles(path)
    append_resource_record(path)
    found = read(path)
    assert len(urls(found)) == 3
    assert reasons(found) == ["not_http"]


def test_response_larger_than_download_maxsize(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    big = ARTICLE_HTML + b"<!-- " + b"x" * 20_000 + b" -->"
    write_archive(path, [exchange(ARTICLE_URL, big), exchange(*article_page(1))])
    found = read(path, max_size=len(ARTICLE_HTML) + 1000)
    assert urls(found) == [article_page(1)[0]]
    assert reasons(found) == ["too_large"]


def test_an_html_file_named_like_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "page.warc.gz"
    path.write_bytes(ARTICLE_HTML)
    assert reasons(read(path)) == ["not_warc"]


# --- re-extraction ---------------------------------------------------------------------------


def run(paths: list[Path], filters: Filters | None = None, max_size: int = MAX) -> tuple[Any, list]:
    out = io.BytesIO()
    extraction = Reextraction(out, filters or Filters(), max_size)
    summary = extraction.run(paths)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return summary, lines


def test_reextracted_article_carries_crawl_time_and_archive_place(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    (offset,) = write_archive(path, [exchange(ARTICLE_URL, gzip.compress(ARTICLE_HTML),
                                              headers=[("Content-Encoding", "gzip")])])  # fmt: skip
    summary, (article,) = run([path])
    assert article["headline"] == "Council approves budget after long debate"
    assert article["crawled_at"] == "2026-03-04T05:06:07+00:00"  # the WARC-Date, not now
    assert article["archive"] == {"file": "run.warc.gz", "offset": offset}
    assert list(article)[-1] == "archive" and validation_errors(article) == []
    assert summary.articles == 1 and not summary.skipped


def test_binary_body_is_skipped_and_legacy_encoded_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    latin = ARTICLE_HTML.decode("utf-8").replace("debate", "débat").encode("cp1252")
    write_archive(
        path,
        [
            exchange("https://daily.example.com/img", PNG),
            exchange(ARTICLE_URL, latin, "text/html; charset=windows-1252"),
        ],
    )
    summary, lines = run([path])
    assert summary.skipped == {"binary": 1}
    assert [a["headline"] for a in lines] == ["Council approves budget after long débat"]


def test_common_crawl_records_only_html_200(tmp_path: Path) -> None:
    path = tmp_path / "CC-NEWS-20260304.warc.gz"
    no_meta: dict[str, Any] = {}
    write_archive(
        path,
        [
            exchange(ARTICLE_URL, ARTICLE_HTML, metadata=no_meta),
            exchange(article_page(1)[0], b"gone", status=404, metadata=no_meta),
            exchange(article_page(2)[0], b'{"a": 1}', "application/json", metadata=no_meta),
            exchange("https://daily.example.com/feed", b"<rss/>", "application/rss+xml",
                     metadata=no_meta),
        ],
    )  # fmt: skip
    summary, lines = run([path])
    assert [a["url"] for a in lines] == [ARTICLE_URL]
    assert summary.not_pages == {"status_404": 1, "not_html": 2}


def test_domain_filter_keeps_subdomains_only_of_that_domain(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    other = ARTICLE_HTML.replace(b"daily.example.com", b"weekly.example.org")
    write_archive(
        path,
        [
            exchange(ARTICLE_URL, ARTICLE_HTML),
            exchange("https://weekly.example.org/politics/council-approves-budget", other),
        ],
    )
    summary, lines = run([path], filters_for(None, ["example.org"]))
    assert [a["site"] for a in lines] == ["weekly.example.org"]
    assert summary.not_pages == {"filtered": 1}


def test_listing_pages_and_discovery_documents_are_not_articles(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    listing = (
        b"<html><head><meta property='og:type' content='website'></head><body>"
        + (b"".join(b"<p><a href='/a%d'>Story %d</a></p>" % (n, n) for n in range(30)))
        + b"</body></html>"
    )
    write_archive(
        path,
        [
            exchange("https://daily.example.com/robots.txt", b"User-agent: *", "text/plain",
                     metadata={"method": "GET", "kind": "robots"}),
            exchange("https://daily.example.com/", listing,
                     metadata={"method": "GET", "kind": "listing"}),
            exchange(ARTICLE_URL, ARTICLE_HTML),
            exchange(ARTICLE_URL + "?utm_source=x", ARTICLE_HTML),
        ],
    )  # fmt: skip
    summary, lines = run([path])
    assert len(lines) == 1
    assert summary.not_pages == {"robots": 1}
    assert summary.not_emitted == {"listing": 1, "duplicate": 1}


def test_changed_only_writes_differing_articles_and_counts_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    three_articles(path)
    full = tmp_path / "full.jsonl"
    reextract([path], full, Filters(), MAX)
    earlier = tmp_path / "earlier.jsonl"
    articles = [json.loads(line) for line in full.read_text("utf-8").splitlines()]
    articles[0]["headline"] = "Old headline"
    articles[0]["tags"] = []
    del articles[2]
    earlier.write_text("".join(json.dumps(a) + "\n" for a in articles), "utf-8")
    output = tmp_path / "changed.jsonl"
    summary = reextract([path], output, Filters(), MAX, earlier)
    changes = summary.changes
    assert changes is not None
    assert (changes.changed, changes.new, changes.unchanged, changes.missing) == (1, 1, 1, 0)
    assert dict(changes.fields) == {"headline": 1, "tags": 1}
    written = [json.loads(line)["url"] for line in output.read_text("utf-8").splitlines()]
    assert written == [article_page(0)[0], article_page(2)[0]]
    listed = [json.loads(line) for line in (tmp_path / "changed.changes.jsonl").open()]
    assert [e["fields"] for e in listed] == [["headline", "tags"], ["*new*"]]


def test_change_report_rejects_a_file_that_is_not_json_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', "utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        ChangeReport.load(bad)


def test_offsets_after_a_damaged_stretch_still_locate_their_records(tmp_path: Path) -> None:
    from newscrawler.archive.middleware import read_one

    path = tmp_path / "a.warc.gz"
    offsets = write_archive(path, [exchange(*article_page(n)) for n in range(4)])
    truncate_member(path, offsets[1])
    found = [r for r in read(path) if isinstance(r, ArchivedResponse)]
    assert [r.url for r in found] == [article_page(n)[0] for n in (0, 2, 3)]
    for record in found:
        again = read_one(path, record.offset, MAX)
        assert again is not None and again.url == record.url


def test_bench_archive_runs_tiny_and_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    from newscrawler.archive.bench import main as bench

    bench(["--size-mb", "0.5"])  # the figures are printed; speed is judged by people, not here
    out = capsys.readouterr().out
    assert "reextract / extraction alone:" in out and "peak RSS full / quarter:" in out
    assert re.search(r"full: +0\.\d MB, \d+ pages", out), out


def test_common_crawl_pages_are_judged_by_the_page_kind_verdict(tmp_path: Path) -> None:
    """An unseen portal's section page: much text (3,500 chars), but a run of teasers."""
    teasers = "".join(
        f'<li><article><h2><a href="/politique/2026/01/{n:02d}/story-{n}">Le conseil municipal '
        f"adopte le budget numéro {n} après un long débat</a></h2><p>Résumé court de la dépêche "
        f"numéro {n} sur la séance.</p></article></li>"
        for n in range(30)
    )
    section = f"<html><body><h1>Politique</h1><ul>{teasers}</ul></body></html>".encode()
    path = tmp_path / "CC-NEWS.warc.gz"
    write_archive(
        path,
        [
            exchange("https://unseen.example/politique/", section, metadata={}),
            exchange(ARTICLE_URL, ARTICLE_HTML, metadata={}),
        ],
    )
    summary, lines = run([path])
    assert [a["url"] for a in lines] == [ARTICLE_URL]
    assert summary.not_emitted == {"listing": 1}


def test_archived_article_is_still_judged_by_the_article_pipelines() -> None:
    from scrapy.exceptions import DropItem

    from newscrawler.archive.middleware import with_pointer
    from newscrawler.archive.reextract import Tally
    from newscrawler.items import Article
    from newscrawler.pipelines import SchemaValidationPipeline

    article = Article(**extract_fields(ARTICLE_HTML, ARTICLE_URL))
    archived = with_pointer(article, {"file": "a.warc.gz", "offset": 12})
    assert isinstance(archived, Article) and list(vars(archived))[-1] == "archive"
    pipeline = SchemaValidationPipeline(Tally())  # type: ignore[arg-type]
    assert pipeline.process_item(archived) is archived
    with pytest.raises(DropItem, match="archive"):
        pipeline.process_item(with_pointer(article, {"file": "a.warc.gz", "offset": -1}))


def extract_fields(html: bytes, url: str) -> dict[str, Any]:
    from newscrawler.extraction.article import extract_article

    return extract_article(html, url)
