"""Downloader middlewares and the DNS resolver that keep hostile input from hurting a run.

- `ssrf`: refuse private/loopback/metadata addresses, from DNS answers, IP literals or redirects;
- `retry`: retry 429/5xx and transient network errors with backoff, honouring Retry-After;
- `content`: skip PDFs, images and binary bodies before anything parses them;
- `redirects`: name redirect loops (log line + counter) instead of ending them silently.
"""
