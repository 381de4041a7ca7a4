"""Fixture portals for crawl tests: small sites built in memory for newscrawler.demo.server.

Each portal module exposes `portal()` (a Portal) and the expected article paths; pages come from
the builders in `pages.py`, so a test reads as "this site has these channels, expect these URLs".
"""
