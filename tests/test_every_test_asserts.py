"""A test that cannot fail is a defect: every test function must assert something.

An AST scan of tests/: each `test_*` function must contain an `assert`, a `pytest.raises` /
`pytest.warns` / `pytest.fail`, or a call to one of the helpers below, defined in the same test
module; the scan checks that each listed helper asserts in turn.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent

# Helpers that assert on behalf of the tests calling them, by the test module that defines them;
# keep this list small and explicit.
ASSERTING_HELPERS = {
    "test_crawl_portals.py": frozenset({"assert_exactly"}),
    "test_hostile_fuzz.py": frozenset({"check"}),
    "test_pagekind.py": frozenset({"assert_kind"}),
}
PYTEST_CHECKS = frozenset({"raises", "warns", "fail", "deprecated_call"})


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _asserts(
    function: ast.FunctionDef | ast.AsyncFunctionDef, helpers: frozenset[str] = frozenset()
) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _called_name(node)
            is_pytest = (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "pytest"
            )
            if (is_pytest and name in PYTEST_CHECKS) or name in helpers:
                return True
    return False


def _functions(source: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def silent_tests(source: str, helpers: frozenset[str] = frozenset()) -> list[str]:
    """Names of the test functions in `source` that assert nothing (`helpers` assert for them)."""
    return [
        node.name
        for node in _functions(source)
        if node.name.startswith("test_") and not _asserts(node, helpers)
    ]


def test_every_test_function_asserts() -> None:
    silent = [
        f"{path.name}::{name}"
        for path in sorted(TESTS.glob("test_*.py"))
        for name in silent_tests(
            path.read_text(encoding="utf-8"), ASSERTING_HELPERS.get(path.name, frozenset())
        )
    ]
    assert silent == []


def test_each_allowed_helper_exists_and_asserts() -> None:
    for module, helpers in ASSERTING_HELPERS.items():
        defined = {f.name: f for f in _functions((TESTS / module).read_text(encoding="utf-8"))}
        for helper in helpers:
            assert helper in defined, f"{module} defines no {helper}"
            assert _asserts(defined[helper]), f"{module}::{helper} asserts nothing"


def test_the_scan_catches_a_test_that_asserts_nothing() -> None:
    source = (
        "def test_silent():\n    lock.acquire()\n    lock.release()\n"
        "def test_loud():\n    assert 1\n"
        "def test_raises():\n    with pytest.raises(ValueError):\n        int('x')\n"
        "def test_helped():\n    verify(1)\n"
    )
    assert silent_tests(source) == ["test_silent", "test_helped"]
    assert silent_tests(source, frozenset({"verify"})) == ["test_silent"]
