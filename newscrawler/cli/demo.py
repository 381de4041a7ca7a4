"""`newscrawler demo`: serve the embedded demo portal, crawl it, summarise the output.

`newscrawler demo --serve [--port N]` only serves the portal, until interrupted, to crawl it by
hand: `newscrawler crawl http://127.0.0.1:N/ --allow-private-addresses 127.0.0.1`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode

IDENTITY_FIELDS = {"id", "url", "canonical_url", "site", "crawled_at", "schema_version", "revision"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="crawl the embedded demo portal and write output/demo/<UTC timestamp>.jsonl"
    )
    parser.add_argument("--output-dir", type=Path, default=Path("output"), help="default: output/")
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    parser.add_argument(
        "--serve", action="store_true", help="only serve the portal (until Ctrl-C), print its URL"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="with --serve: port on 127.0.0.1 (default: any free)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.serve:
        from newscrawler.demo.server import serve_forever

        return serve_forever(port=args.port)
    from newscrawler.demo.portal import demo_portal
    from newscrawler.demo.server import serve
    from newscrawler.paths import output_file
    from newscrawler.runner import field_coverage, run_crawl

    output = output_file(args.output_dir, "demo")
    with serve(demo_portal()) as base_url:  # stopped on the way out, whatever the crawl did
        print(f"Demo portal serving at {base_url}/", flush=True)
        result = run_crawl(
            "news",
            spider_kwargs={"site": "demo", "url": f"{base_url}/"},
            settings={
                "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": "127.0.0.1",
                "AUTOTHROTTLE_ENABLED": False,
                "LOG_LEVEL": args.log_level,
            },
            output=output,
        )
    if result.output is None:
        print(
            f"Demo crawl failed: {result.stats.get('finish_reason', 'no stats')}", file=sys.stderr
        )
        return int(ExitCode.ERROR)
    count, filled = field_coverage(result.output)
    print(f"Articles written: {count}")
    print("Fields filled:")
    for name, n in filled.items():
        if name not in IDENTITY_FIELDS:
            print(f"  {name:<24} {n:>4}/{count}")
    print(f"Output: {result.output}")
    if result.reason:  # a failed run says why in one line, as `newscrawler crawl` does
        print(f"Demo crawl: {result.exit_code.name}: {result.reason}", file=sys.stderr)
    return int(result.exit_code)
