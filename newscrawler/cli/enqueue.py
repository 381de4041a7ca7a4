"""`newscrawler enqueue SITE…`: queue sites for the workers of the shared Redis frontier.

Workers started with `newscrawler crawl --redis URL` (no site) take the queued sites one at a time
(each site once), so one command line feeds hundreds of portals to any number of workers on any
number of machines.
"""

from __future__ import annotations

import argparse
import sys

from newscrawler.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "enqueue",
        help="push sites (profile names or start URLs) into the shared Redis frontier",
        description=__doc__,
    )
    parser.add_argument(
        "sites",
        nargs="+",
        metavar="SITE_OR_URL",
        help="what `newscrawler crawl` takes: profile or URL",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="redis://host:port/db or unix:///path?db=N (default: $REDIS_URL)",
    )
    parser.add_argument("--spider", default="news", help="the spider the workers run (news)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from redis.exceptions import RedisError

    from newscrawler.distributed.config import RedisUnavailable, check_redis, connect, redact
    from newscrawler.distributed.config import redis_url as configured_redis_url
    from newscrawler.distributed.frontier import enqueue_sites

    url = args.redis or configured_redis_url()
    if not url:
        print("Error: no Redis given: use --redis URL or set REDIS_URL", file=sys.stderr)
        return int(ExitCode.USAGE)
    try:
        check_redis(url)
        queued = enqueue_sites(connect(url), args.spider, list(args.sites))
    except RedisUnavailable as error:
        print(f"Error: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    except RedisError as error:
        print(f"Error: Redis failed at {redact(url)}: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    for site in args.sites:
        print(f"Enqueued {site}")
    print(f"{queued} site(s) waiting at {redact(url)} for `newscrawler crawl --redis URL` workers")
    return int(ExitCode.OK)
