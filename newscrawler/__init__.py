"""newscrawler: news portals to clean, trustworthy JSON Lines datasets."""

from newscrawler.addon import Addon
from newscrawler.extraction import extract_article

__all__ = ["Addon", "extract_article"]
__version__ = "0.1.0"
