"""`newscrawler sites`: list the built-in site profiles (name, domains, description)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sites", help="list the site profiles")
    parser.add_argument("--check", metavar="FILE", nargs="*", help="validate profile files instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newscrawler.profiles.loader import ProfileError, builtin_profiles, load_profile_file

    if args.check:
        code = ExitCode.OK
        for path in args.check:
            try:
                profile = load_profile_file(Path(path))
                print(f"{path}: ok ({profile.name})")
            except ProfileError as exc:
                print(exc, file=sys.stderr)
                code = ExitCode.USAGE
        return int(code)
    try:
        profiles = list(builtin_profiles())
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return int(ExitCode.ERROR)
    width = max((len(p.name) for p in profiles), default=4)
    for profile in profiles:
        domains = ", ".join(profile.domains) or ("any (generic)" if profile.generic else "-")
        description = profile.description or ""
        print(f"{profile.name:<{width}}  {domains:<32}  {description}".rstrip())
    return int(ExitCode.OK)
