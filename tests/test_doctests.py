"""The examples in the package's docstrings run as tests (`make test` only collects tests/).

Why a test module and not `--doctest-modules`: that option would import every module under the
given paths at collection, including the `__main__` entry points, which run the CLI when
imported. Here each module whose source holds an example (">>>") is imported by name, and
`__main__` modules are left out.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from importlib.util import find_spec
from pathlib import Path

import pytest

import newscrawler


def _has_examples(name: str) -> bool:
    spec = find_spec(name)
    origin = spec.origin if spec else None
    return bool(origin and origin.endswith(".py") and ">>>" in Path(origin).read_text("utf-8"))


ALL_MODULES = [
    info.name
    for info in pkgutil.walk_packages(newscrawler.__path__, "newscrawler.")
    if info.name.rsplit(".", 1)[-1] != "__main__"
]
MODULES = sorted(name for name in ALL_MODULES if _has_examples(name))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [t for t in finder.find(module) if t.examples]
    assert tests, f"{name} has '>>>' in its source but no docstring example was found"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_package_has_examples() -> None:
    """Guards the discovery itself: a broken walk would leave nothing to run."""
    assert len(ALL_MODULES) > 50
    assert "newscrawler.urls" in MODULES
