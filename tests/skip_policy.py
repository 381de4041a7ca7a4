"""No silent skips: the summary always says how many tests were skipped, and under CI a skip fails.

A skipped test is a test that did not run, so a green run with skips claims more than it showed.
The count is printed at the end of every run. With NEWSCRAWLER_FAIL_ON_SKIP=1 (set by .ci/run) a
run with any skip exits non-zero, even when every test that ran passed. Hooks imported by
tests/conftest.py.
"""

from __future__ import annotations

import os

import pytest

FAIL_ON_SKIP = "NEWSCRAWLER_FAIL_ON_SKIP"
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = len(_skipped)
    line = f"skipped: {count}"
    if count:
        line += " test(s) did NOT run" + (
            f"; {FAIL_ON_SKIP} is set, so this run fails" if os.environ.get(FAIL_ON_SKIP) else ""
        )
    terminalreporter.write_sep("-", line, red=bool(count), bold=bool(count))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and os.environ.get(FAIL_ON_SKIP) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
