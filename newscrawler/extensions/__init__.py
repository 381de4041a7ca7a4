"""Scrapy extensions of newscrawler: run report and quality gate (`runreport`), progress line
(`progress`), and what they share about a run: site, output file, request kinds (`context`)."""
