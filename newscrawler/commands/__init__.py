"""Scrapy commands of the project (setting COMMANDS_MODULE): `scrapy crawl` with argument checks."""
