"""newscrawler: news portals to clean, trustworthy JSON Lines datasets."""

from importlib.metadata import PackageNotFoundError, version

from newscrawler.addon import Addon
from newscrawler.extraction import extract_article

__all__ = ["Addon", "__version__", "extract_article"]
try:  # one source of truth: pyproject.toml, through the installed distribution
    __version__ = version("newscrawler")
except PackageNotFoundError:  # pragma: no cover - running from a source tree never installed
    __version__ = "0+unknown"
