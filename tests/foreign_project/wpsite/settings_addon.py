"""The same project with newscrawler's add-on: one line."""

from wpsite.settings import *  # noqa: F403

ADDONS = {"newscrawler.Addon": 0}
