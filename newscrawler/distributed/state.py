"""The `StateStore` on Redis: one shared memory of delivered articles for all workers of a site.

Same two-phase delivery as the sqlite store (stage into a run, commit once its file is final), made
safe for many workers on many machines:
- **claims**: staging an article claims its canonical URL for the run, atomically (Lua). A second
  worker that reaches the same article while the first run is live gets `AlreadyClaimed`, and one
  that reaches an article already delivered at that revision gets `AlreadyDelivered`: the article
  goes to exactly one finalized file.
- **leases**: a run is alive while its lease key exists; a daemon thread renews it. A SIGKILLed
  worker stops renewing, so after `lease_seconds` any worker's `recover` discards its open run and
  releases its claims, and the next run emits those articles again.
- **fencing**: before its feed file is renamed into place, a run is *sealed* (open -> finalizing) by
  `seal_output`, atomically and only if it is still open. A run whose lease expired and was
  discarded can no longer be sealed, so its file is never finalized: no duplicate, even after a long
  stall. A sealed run whose worker died before committing is settled by `recover` on the same host
  (the only one that can see whether the file was renamed).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawler.state.store import ArticleState, NotArticle, Staged, url_key

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "newscrawler"
DEFAULT_LEASE_SECONDS = 30.0

OPEN, FINALIZING, COMMITTED, DISCARDED = "open", "finalizing", "committed", "discarded"


class StageConflict(Exception):
    """The article must not be emitted by this run (see subclasses)."""


class AlreadyClaimed(StageConflict):
    """Another live run has staged this article: it will deliver it."""


class AlreadyDelivered(StageConflict):
    """This revision of the article was delivered meanwhile by another worker."""


class RunFenced(StageConflict):
    """This run is no longer open (its lease expired and it was discarded): stop emitting."""


# KEYS: status, claims, staged(run), articles. ARGV: run_id, canonical_url, staged json, hash,
# revision, '1' to re-deliver (--full). Returns 1 staged, 0 claimed by another live run,
# 2 delivered already, -1 run not open.
_STAGE = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= 'open' then return -1 end
local owner = redis.call('HGET', KEYS[2], ARGV[2])
if owner and owner ~= ARGV[1] then
  local st = redis.call('HGET', KEYS[1], owner)
  if st == 'open' or st == 'finalizing' then return 0 end
end
local delivered = redis.call('HGET', KEYS[4], ARGV[2])
if delivered and ARGV[6] ~= '1' then
  local d = cjson.decode(delivered)
  if d['content_hash'] == ARGV[4] or tonumber(d['revision']) >= tonumber(ARGV[5]) then
    return 2
  end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 1
"""

# KEYS: status, staged(run), claims, articles, aliases, lease(run). ARGV: run_id, output or ''.
# Returns the number of articles committed, or -1 when the run is neither open nor finalizing.
_COMMIT = """
local st = redis.call('HGET', KEYS[1], ARGV[1])
if st ~= 'open' and st ~= 'finalizing' then return -1 end
local entries = redis.call('HGETALL', KEYS[2])
local n = 0
for i = 1, #entries, 2 do
  local cu = entries[i]
  local s = cjson.decode(entries[i + 1])
  local a = {canonical_url = cu, article_id = s['article_id'], content_hash = s['content_hash'],
             revision = s['revision'], first_seen = s['seen_at'], last_seen = s['seen_at'],
             date_published = s['date_published'], date_modified = s['date_modified'],
             lastmod = s['lastmod'], delivered_to = cjson.null}
  if ARGV[2] ~= '' then a['delivered_to'] = ARGV[2] end
  local prev = redis.call('HGET', KEYS[4], cu)
  if prev then
    local p = cjson.decode(prev)
    a['first_seen'] = p['first_seen']
    if a['lastmod'] == cjson.null then a['lastmod'] = p['lastmod'] end
  end
  redis.call('HSET', KEYS[4], cu, cjson.encode(a))
  if s['url'] ~= cjson.null then redis.call('HSET', KEYS[5], s['url'], cu) end
  if redis.call('HGET', KEYS[3], cu) == ARGV[1] then redis.call('HDEL', KEYS[3], cu) end
  n = n + 1
end
redis.call('DEL', KEYS[2], KEYS[6])
redis.call('HSET', KEYS[1], ARGV[1], 'committed')
return n
"""

# KEYS: status, staged(run), claims, lease(run). ARGV: run_id, expected status.
# Returns 1 when discarded; 0 when the run is not in the expected state or its lease is alive.
_DISCARD = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local urls = redis.call('HKEYS', KEYS[2])
for _, cu in ipairs(urls) do
  if redis.call('HGET', KEYS[3], cu) == ARGV[1] then redis.call('HDEL', KEYS[3], cu) end
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], 'discarded')
return 1
"""

# KEYS: outputs index (members "<status key>\\n<run_id>"). Seals every run writing that file:
# returns how many, or -1 (and seals none, and drops the index) when one was discarded.
_SEAL = """
local members = redis.call('SMEMBERS', KEYS[1])
local runs = {}
for _, m in ipairs(members) do
  local sep = string.find(m, '\\n', 1, true)
  local key, run = string.sub(m, 1, sep - 1), string.sub(m, sep + 1)
  local st = redis.call('HGET', key, run)
  if st == 'open' then table.insert(runs, {key, run})
  elseif st ~= 'committed' and st ~= 'finalizing' then
    redis.call('DEL', KEYS[1])  -- refused once and for all (file names are unique per run)
    return -1
  end
end
for _, r in ipairs(runs) do redis.call('HSET', r[1], r[2], 'finalizing') end
return #runs
"""


def this_host() -> str:
    """The name recorded with each run, to know which machine can see its output file."""
    return socket.gethostname() or "localhost"


def outputs_key(prefix: str, host: str, output: Path) -> str:
    """The Redis set naming every run (of any site) whose feed is finalized to `output`."""
    return f"{prefix}:outputs:{host}:{output.resolve()}"


def seal_output(
    client: Redis, output: Path, *, prefix: str = DEFAULT_PREFIX, host: str | None = None
) -> bool:
    """Fence: mark the runs writing `output` as finalizing; False if one was discarded meanwhile.

    Call it just before the output file is renamed into place, and rename only on True.
    """
    key = outputs_key(prefix, host or this_host(), output)
    sealed = client.register_script(_SEAL)(keys=[key])
    return int(sealed) >= 0


class _Lease:
    """Renews the lease keys of live runs from a daemon thread, so a dead process loses them."""

    def __init__(
        self, client: Redis, seconds: float, wait: Callable[[float], bool] | None = None
    ) -> None:
        self.client = client
        self.millis = max(int(seconds * 1000), 100)
        self.keys: set[str] = set()
        self.lost: BaseException | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        # the renewal clock: True means stop; tests inject one that ticks on their command
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def hold(self, key: str) -> None:
        self.client.set(key, this_host(), px=self.millis)
        with self._lock:
            self.keys.add(key)
        if self._thread is None:
            self._thread = threading.Thread(target=self._renew, name="redis-lease", daemon=True)
            self._thread.start()

    def release(self, key: str) -> None:
        with self._lock:
            self.keys.discard(key)

    def _renew(self) -> None:
        while not self._wait(self.millis / 3000) and not self._stop.is_set():
            self.renew()

    def renew(self) -> None:
        """Reset every held lease to its full length (the thread does it each third of it)."""
        with self._lock:
            keys = list(self.keys)
        try:
            for key in keys:
                self.client.set(key, this_host(), px=self.millis, xx=True)
        except Exception as exc:  # Redis gone: record it, the crawl side stops cleanly
            self.lost = exc
            logger.error("Cannot renew run lease in Redis: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


class RedisStateStore:
    """`StateStore` of one site in Redis, shared by every worker (see module docstring)."""

    def __init__(
        self,
        client: Redis,
        site: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        host: str | None = None,
        redeliver: bool = False,
    ) -> None:
        self.client = client
        self.redeliver = redeliver  # --full: emit again what was delivered (claims still apply)
        self.site = site
        self.prefix = prefix
        self.host = host or this_host()
        self.ns = f"{prefix}:state:{site}"
        self._lease = _Lease(client, lease_seconds)
        self._stage = client.register_script(_STAGE)
        self._commit = client.register_script(_COMMIT)
        self._discard = client.register_script(_DISCARD)

    # --- keys -----------------------------------------------------------------------------
    @property
    def _articles(self) -> str:
        return f"{self.ns}:articles"

    @property
    def _aliases(self) -> str:
        return f"{self.ns}:aliases"

    @property
    def _not_articles(self) -> str:
        return f"{self.ns}:not_articles"

    @property
    def _runs(self) -> str:
        return f"{self.ns}:runs"

    @property
    def _status(self) -> str:
        return f"{self.ns}:status"

    @property
    def _claims(self) -> str:
        return f"{self.ns}:claims"

    def _staged(self, run_id: str) -> str:
        return f"{self.ns}:staged:{run_id}"

    def _lease_key(self, run_id: str) -> str:
        return f"{self.ns}:lease:{run_id}"

    # --- StateStore -------------------------------------------------------------------------
    def get(self, url: str) -> ArticleState | None:
        key = url_key(url)
        pipe = self.client.pipeline(transaction=False)  # one round trip in the usual cases
        pipe.hget(self._articles, key)
        pipe.hget(self._aliases, key)
        raw, alias = pipe.execute()
        if raw is None and alias is not None:
            raw = self.client.hget(self._articles, alias)
        return _article_state(raw) if raw is not None else None

    def touch(self, url: str, seen_at: str, lastmod: str | None = None) -> None:
        state = self.get(url)
        if state is None:
            return
        data = asdict(state) | {"last_seen": seen_at, "lastmod": lastmod or state.lastmod}
        self.client.hset(self._articles, state.canonical_url, json.dumps(data))

    def note_not_article(self, url: str, checked_at: str, lastmod: str | None = None) -> None:
        data = {"checked_at": checked_at, "lastmod": lastmod}
        self.client.hset(self._not_articles, url_key(url), json.dumps(data))

    def not_article(self, url: str) -> NotArticle | None:
        key = url_key(url)
        raw = self.client.hget(self._not_articles, key)
        if raw is None:
            return None
        data = json.loads(raw)
        return NotArticle(key, str(data["checked_at"]), data.get("lastmod"))

    def begin_run(self, run_id: str, output: Path | None, started_at: str) -> None:
        index = outputs_key(self.prefix, self.host, output) if output is not None else None
        run = {"output": str(output) if output else None, "started_at": started_at}
        run |= {"host": self.host, "outputs_key": index}
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self._runs, run_id, json.dumps(run))
        pipe.hset(self._status, run_id, OPEN)
        if index is not None:
            pipe.sadd(index, f"{self._status}\n{run_id}")
        pipe.execute()
        self._lease.hold(self._lease_key(run_id))

    def stage(self, run_id: str, article: Staged) -> None:
        """Claim and hold the article for this run; raise a `StageConflict` when it must not be
        emitted (another live run holds it, it was delivered meanwhile, or this run was fenced)."""
        canonical = url_key(article.canonical_url)
        data = asdict(article) | {
            "canonical_url": canonical,
            "url": url_key(article.url) if article.url else None,
        }
        keys = [self._status, self._claims, self._staged(run_id), self._articles]
        args: list[str | int] = [run_id, canonical, json.dumps(data), article.content_hash]
        args += [article.revision, "1" if self.redeliver else "0"]
        result = int(self._stage(keys=keys, args=args))
        if result == 0:
            raise AlreadyClaimed(f"{canonical} is staged by another live run")
        if result == 2:
            raise AlreadyDelivered(f"{canonical} revision {article.revision} already delivered")
        if result == -1:
            raise RunFenced(f"run {run_id} is no longer open (lease expired?)")

    def commit_run(self, run_id: str) -> int:
        raw = self.client.hget(self._runs, run_id)
        output = (json.loads(raw).get("output") if raw else None) or ""
        keys = [
            self._status,
            self._staged(run_id),
            self._claims,
            self._articles,
            self._aliases,
            self._lease_key(run_id),
        ]
        self._lease.release(self._lease_key(run_id))
        count = int(self._commit(keys=keys, args=[run_id, output]))
        self._forget_output(run_id, raw)
        if count < 0:
            logger.error("Run %s of %s could not be committed: it was discarded", run_id, self.site)
            return 0
        return count

    def recover(self, is_finalized: Callable[[Path], bool]) -> tuple[int, int]:
        """Settle dead runs (lease expired) of any worker: open ones are discarded; sealed ones
        are committed or discarded by a worker on their host, which can see their file."""
        committed = discarded = 0
        for run_id, status in self.client.hgetall(self._status).items():
            run_id, status = _text(run_id), _text(status)
            if status not in (OPEN, FINALIZING) or self.client.exists(self._lease_key(run_id)):
                continue
            run = json.loads(self.client.hget(self._runs, run_id) or "{}")
            if status == FINALIZING:
                if run.get("host") != self.host:
                    continue  # only its own machine can tell whether the file was renamed
                output = run.get("output")
                if output and is_finalized(Path(output)):
                    self.commit_run(run_id)
                    committed += 1
                    continue
            if self._discard_run(run_id, status):
                discarded += 1
        return committed, discarded

    def _discard_run(self, run_id: str, expected: str) -> bool:
        keys = [self._status, self._staged(run_id), self._claims, self._lease_key(run_id)]
        # its file's seal index keeps naming it, so that the file can never be sealed
        return int(self._discard(keys=keys, args=[run_id, expected])) == 1

    def _forget_output(self, run_id: str, raw_run: Any) -> None:
        """Drop a committed run from its file's seal index (the set vanishes with its last run)."""
        index = json.loads(raw_run).get("outputs_key") if raw_run else None
        if index:
            self.client.srem(index, f"{self._status}\n{run_id}")

    def reset(self) -> None:
        keys = list(self.client.scan_iter(match=f"{self.ns}:*", count=1000))
        if keys:
            self.client.delete(*keys)

    def count(self) -> int:
        return int(self.client.hlen(self._articles))

    def count_not_articles(self) -> int:
        return int(self.client.hlen(self._not_articles))

    def templates(self) -> list[tuple[str, int, int, int]]:
        rows = []
        for shape, raw in self.client.hgetall(f"{self.ns}:templates").items():
            articles, listings, others = json.loads(raw)
            rows.append((_text(shape), int(articles), int(listings), int(others)))
        return rows

    def save_templates(self, rows: Iterable[tuple[str, int, int, int]]) -> None:
        """Replaced as a whole (the last worker to close writes its book: each worker started
        from the shared one and learned more)."""
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(f"{self.ns}:templates")
        for shape, articles, listings, others in rows:
            pipe.hset(f"{self.ns}:templates", shape, json.dumps([articles, listings, others]))
        pipe.execute()

    def close(self) -> None:
        self._lease.stop()

    # --- distributed extras --------------------------------------------------------------
    @property
    def lease_lost(self) -> BaseException | None:
        """The error that stopped lease renewal (Redis unreachable), if any."""
        return self._lease.lost

    def staged_count(self, run_id: str) -> int:
        return int(self.client.hlen(self._staged(run_id)))

    def run_status(self, run_id: str) -> str | None:
        status = self.client.hget(self._status, run_id)
        return _text(status) if status is not None else None

    def delivered_urls(self) -> Iterable[str]:
        return (_text(key) for key in self.client.hkeys(self._articles))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _article_state(raw: Any) -> ArticleState:
    data = json.loads(raw)
    fields = ArticleState.__dataclass_fields__
    return ArticleState(**{name: data.get(name) for name in fields})
