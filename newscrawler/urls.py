"""URL hygiene shared by discovery, extraction and dedup: tracking removal and a canonical form.

Why two functions: `clean_url` returns a URL that still works (only tracking parameters and the
fragment go), fit for requests and output; `canonical_form` is a comparison key that also folds
www/non-www, http/https and trailing-slash variants, fit only for deciding "same page?".
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say where a click came from, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
        "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "ref_src", "ref_url", "cmpid", "xtor",
        "ocid", "ito", "smid", "sr_share", "amp", "outputtype", "spm", "ncid", "twclid", "ttclid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hmb_", "oly_", "vero_", "__hs")
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp(?:\.html)?|/amp\.html)$", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)


def is_tracking(name: str) -> bool:
    """True for a query parameter name that only tracks the reader (any case).

    >>> is_tracking("UTM_Source"), is_tracking("id")
    (True, False)
    """
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str, *, keep_fragment: bool = False) -> str:
    """`url` without its tracking parameters (and fragment, unless kept); the one place that
    knows them, used for crawl URLs and for the read-also links of the output.

    >>> strip_tracking("https://ex.com/a?fbclid=1&id=3#top", keep_fragment=True)
    'https://ex.com/a?id=3#top'
    """
    parts = urlsplit(url)
    # query pieces are kept verbatim (never re-encoded): only the tracking ones are left out
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and not is_tracking(unquote_plus(piece.split("=", 1)[0]))
    ]
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), fragment))


def clean_url(url: str) -> str:
    """Drop the fragment and tracking parameters; keep everything else as written.

    >>> clean_url("https://ex.com/a/?utm_source=x&id=3&q=a%20b&preview#top")
    'https://ex.com/a/?id=3&q=a%20b&preview'
    """
    return strip_tracking(url.strip())


def is_amp_url(url: str) -> bool:
    """True for the usual AMP URL shapes: /amp/ suffix or prefix, .amp(.html), ?amp=1.

    >>> is_amp_url("https://ex.com/2024/05/story/amp/"), is_amp_url("https://ex.com/story/")
    (True, False)
    """
    parts = urlsplit(url)
    if any(k.lower() in ("amp", "outputtype") for k, _ in parse_qsl(parts.query, True)):
        return True
    return bool(_AMP_PATH.search(parts.path) or _AMP_PREFIX.match(parts.path))


def amp_to_canonical(url: str) -> str:
    """The regular page an AMP URL most likely stands for (the page's rel=canonical wins later).

    >>> amp_to_canonical("https://ex.com/2024/05/story/amp/?utm_medium=x")
    'https://ex.com/2024/05/story/'
    """
    parts = urlsplit(clean_url(url))
    path = _AMP_PREFIX.sub("", parts.path)
    lowered = path.lower()
    if lowered.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    elif lowered.endswith((".amp", "/amp.html")):
        path = path[: path.rfind(".amp") if lowered.endswith(".amp") else -len("/amp.html")]
    elif lowered.endswith(("/amp/", "/amp")):
        path = path[: lowered.rfind("/amp") + 1]
    return urlunsplit((parts.scheme, parts.netloc, path or "/", parts.query, ""))


def canonical_form(url: str) -> str:
    """A comparison key: one value for every variant of the same page.

    Tracking parameters and fragments dropped, query sorted (w3lib.canonicalize_url), host
    lower-cased without "www." and default port, https, no trailing slash.

    >>> canonical_form("http://WWW.Ex.com/news/story/?utm_source=t&b=2&a=1#x")
    'https://ex.com/news/story?a=1&b=2'
    """
    parts = urlsplit(canonicalize_url(clean_url(url)))
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port is not None and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return urlunsplit(("https", host, parts.path.rstrip("/") or "/", parts.query, ""))


def web_url_problem(url: str) -> str | None:
    """Why `url` cannot be crawled (not http(s), no host), or None when it can.

    Checked before a crawl starts, so a typo is a usage error instead of retries.

    >>> web_url_problem("htp://host/"), web_url_problem("https:///x"), web_url_problem("http://a.b/")
    ("not an http(s) URL: 'htp://host/'", "no host in URL: 'https:///x'", None)
    """
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        return f"not a valid URL: {url!r} ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not an http(s) URL: {url!r}"
    if not parts.hostname or port == 0:
        return f"no host in URL: {url!r}"
    return None
