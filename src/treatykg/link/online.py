"""Online reconciliation with Wikidata: opt-in, polite, cached, and sure or silent.

For a name the offline knowledge base does not know, `reconcile` asks Wikidata's search API
(`wbsearchentities`) for items whose label or alias is exactly that name, then asks the SPARQL
endpoint whether each candidate is an instance of a class fitting the wanted kind and whether it
existed at the date of the event. It answers an item only when exactly one candidate passes all
three checks, and NIL otherwise, always with the reason.

Every request carries a User-Agent naming the project and a contact (Wikimedia's User-Agent
policy asks for one), requests are spaced by `Endpoint.min_interval` seconds (1 s by default),
and every answer is kept as a JSON file named by the SHA-256 of the request URL, so a rebuild
with the same cache gives the same answer with `offline=True` and no network at all. The base
URLs are part of `Endpoint`, so tests point them at a local replay server.

Wikidata ids used here, with their evidence (see shared/kb/wikidata-ids.csv, rows marked
verified, unless said otherwise):
- properties: P31 instance of, P279 subclass of, P571 inception, P576 dissolved, abolished or
  demolished date, P585 point in time (a 2018 property dump, `PropDump`); P569 date of birth and
  P570 date of death (QuickStatements files and Wikidata tools in public repositories,
  e.g. "#   P569 date of birth = +1788-00-00T00:00:00Z/9 / LAST P569 ..." and a table
  "| P569 date of birth | ... | P570 date of death |").
- classes: Q3624078 sovereign state, Q6256 country, Q3024240 historical country, Q5 human,
  Q515 city, Q5119 capital city, Q44782 port, Q728937 railway line, Q245065 intergovernmental
  organization, Q1127126 military alliance, Q131569 treaty. A kind with no verified class
  ("Place": regions such as the Far East) is never answered online.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from ..dates import DateValue
from ..kb import TREATY_KINDS, KnowledgeBase
from ..names import name_key
from ..resolve import Resolution
from .common import LinkingError

DEFAULT_USER_AGENT = "treatykg/0.1 (https://example.invalid/treatykg; contact: treatykg@example.invalid)"
ONLINE_CONFIDENCE = 0.8
_STATE = ("Q3624078", "Q6256", "Q3024240")
_CITY = ("Q515", "Q5119")
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    "State": _STATE,
    "Person": ("Q5",),
    "City": _CITY,
    "Port": ("Q44782", *_CITY),
    "Railway": ("Q728937",),
    "Organization": ("Q245065", "Q1127126"),
    **{kind: ("Q131569",) for kind in TREATY_KINDS},
}
SPARQL_PREFIXES = (
    "PREFIX wd: <http://www.wikidata.org/entity/>\nPREFIX wdt: <http://www.wikidata.org/prop/direct/>\n"
)
_ENTITY = "http://www.wikidata.org/entity/"


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/treatykg/wikidata, else ~/.cache/treatykg/wikidata.

    (Not OUT/.wikidata-cache by default: `treatykg build` replaces OUT as a whole.)
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "treatykg" / "wikidata"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and how politely to ask: base URLs, User-Agent, spacing of requests, timeout."""

    api_url: str = "https://www.wikidata.org/w/api.php"
    sparql_url: str = "https://query.wikidata.org/sparql"
    user_agent: str = DEFAULT_USER_AGENT
    min_interval: float = 1.0
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class NameQuery:
    """A name to reconcile: the kind it must be (an ontology class) and the ISO date of its event."""

    name: str
    kind: str
    date: str | None = None
    language: str = "en"


@dataclass(frozen=True, slots=True)
class CandidateCheck:
    """One Wikidata item that carries the name, and why it was taken or set aside."""

    qid: str
    label: str
    accepted: bool
    reason: str


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The answer for one name: a QID with its reason, or NIL (qid None) with the reason."""

    query: NameQuery
    qid: str | None
    reason: str
    confidence: float | None = None
    candidates: tuple[CandidateCheck, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def is_nil(self) -> bool:
        """Whether no item was answered."""
        return self.qid is None


class CacheMissError(LinkingError):
    """An offline request found no cached answer."""


@dataclass
class WikidataClient:
    """GETs JSON through an on-disk cache, with a User-Agent and a minimum interval between requests."""

    endpoint: Endpoint
    cache_dir: Path
    offline: bool = False
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    network_requests: int = 0
    _last: float | None = field(default=None, repr=False)

    def cache_path(self, url: str) -> Path:
        """The cache file of a request URL."""
        return Path(self.cache_dir) / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"

    def get(self, url: str, *, accept: str = "application/json") -> tuple[dict, str]:
        """The JSON answer to a GET and the time it was retrieved (from the cache when there).

        Raises:
            CacheMissError: offline, and the answer is not cached.
            LinkingError: the request failed or did not answer JSON.
        """
        path = self.cache_path(url)
        if path.is_file():
            try:
                cached = json.loads(path.read_text(encoding="utf-8"))
                return cached["body"], cached["retrieved"]
            except (OSError, ValueError, KeyError) as error:
                if self.offline:
                    raise CacheMissError(f"{path}: unreadable cache file for {url} ({error})") from error
        if self.offline:
            raise CacheMissError(f"offline, and no cached answer for {url} in {self.cache_dir}")
        body = self._fetch(url, accept)
        retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._store(path, {"url": url, "retrieved": retrieved, "body": body})
        return body, retrieved

    def _fetch(self, url: str, accept: str) -> dict:
        if self._last is not None:
            wait = self._last + self.endpoint.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        request = urllib.request.Request(
            url, headers={"User-Agent": self.endpoint.user_agent, "Accept": accept}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.endpoint.timeout) as response:  # noqa: S310
                data = response.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise LinkingError(f"Wikidata request failed: {url}: {error}") from error
        finally:
            self._last = self.clock()
            self.network_requests += 1
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise LinkingError(f"Wikidata answered something other than JSON for {url}") from error

    def _store(self, path: Path, record: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(record, stream, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temporary, path)

    def search_url(self, name: str, language: str) -> str:
        """The wbsearchentities URL for a name."""
        params = {
            "action": "wbsearchentities",
            "search": name,
            "language": language,
            "uselang": language,
            "type": "item",
            "limit": "10",
            "format": "json",
        }
        return f"{self.endpoint.api_url}?{urlencode(params)}"

    def sparql_url(self, query: str) -> str:
        """The SPARQL endpoint URL for a query."""
        return f"{self.endpoint.sparql_url}?{urlencode({'query': query, 'format': 'json'})}"

    def sparql(self, query: str) -> tuple[list[dict], str, str]:
        """The result bindings of a SELECT query, the time they were retrieved and the URL."""
        url = self.sparql_url(query)
        body, retrieved = self.get(url, accept="application/sparql-results+json")
        return list(body.get("results", {}).get("bindings", [])), retrieved, url


def reconcile(
    names: Iterable[NameQuery],
    *,
    endpoint: Endpoint | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
) -> dict[NameQuery, LinkResult]:
    """Reconcile names with Wikidata; an item only when sure, else NIL, each with its reason.

    Args:
        names: the names to look up, each with its wanted kind and event date.
        endpoint: base URLs, User-Agent and rate limit (Wikidata's by default).
        cache_dir: where answers are cached (default `default_cache_dir()`).
        offline: answer from the cache only; a name whose answer is not cached is NIL.

    Returns:
        One LinkResult per distinct NameQuery.
    """
    client = WikidataClient(
        endpoint or Endpoint(), Path(cache_dir) if cache_dir else default_cache_dir(), offline=offline
    )
    results: dict[NameQuery, LinkResult] = {}
    for query in names:
        if query not in results:
            try:
                results[query] = _reconcile_one(client, query)
            except LinkingError as error:
                results[query] = LinkResult(query, None, f"NIL: {error}")
    return results


def _reconcile_one(client: WikidataClient, query: NameQuery) -> LinkResult:
    classes = KIND_CLASSES.get(query.kind)
    if not classes:
        return LinkResult(
            query,
            None,
            f"NIL: no verified Wikidata class for the kind {query.kind!r}, so a "
            "candidate's type could not be checked",
        )
    url = client.search_url(query.name, query.language)
    body, retrieved = client.get(url)
    key = name_key(query.name)
    hits = [h for h in body.get("search", []) if isinstance(h, dict) and h.get("id")]
    exact = {h["id"]: h for h in hits if _names_match(h, key)}
    if not exact:
        seen = ", ".join(f"{h['id']} {h.get('label', '')!r}" for h in hits[:5]) or "nothing"
        return LinkResult(
            query,
            None,
            f"NIL: no Wikidata item has the exact label or alias {query.name!r} "
            f"(the search found {seen}; retrieved {retrieved[:10]})",
            sources=(url,),
        )
    rows, sparql_retrieved, sparql_url = client.sparql(_check_query(sorted(exact), classes, query.kind))
    facts = _facts_by_item(rows)
    checks = tuple(
        _check(qid, exact[qid], facts.get(qid, _ItemFacts()), query, classes) for qid in sorted(exact)
    )
    return _decide(query, checks, (url, sparql_url), sparql_retrieved)


def _names_match(hit: dict, key: tuple[str, ...]) -> bool:
    match = hit.get("match") or {}
    texts = [hit.get("label", ""), *hit.get("aliases", [])]
    if match.get("type") in ("label", "alias"):
        texts.append(match.get("text", ""))
    return any(name_key(text) == key for text in texts if isinstance(text, str))


def _date_properties(kind: str) -> tuple[str, str | None]:
    if kind == "Person":
        return "P569", "P570"
    if kind in TREATY_KINDS:
        return "P585", None
    return "P571", "P576"


def _check_query(qids: list[str], classes: tuple[str, ...], kind: str) -> str:
    start, end = _date_properties(kind)
    items = " ".join(f"wd:{q}" for q in qids)
    wanted = " ".join(f"wd:{c}" for c in sorted(classes))
    lines = [
        "SELECT ?item ?wanted ?start ?end WHERE {",
        f"  VALUES ?item {{ {items} }}",
        f"  OPTIONAL {{ VALUES ?wanted {{ {wanted} }} ?item wdt:P31/wdt:P279* ?wanted . }}",
        f"  OPTIONAL {{ ?item wdt:{start} ?start . }}",
    ]
    if end:
        lines.append(f"  OPTIONAL {{ ?item wdt:{end} ?end . }}")
    return SPARQL_PREFIXES + "\n".join(lines) + "\n}\n"


@dataclass
class _ItemFacts:
    classes: set[str] = field(default_factory=set)
    starts: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)


def binding_value(binding: dict, name: str) -> str | None:
    """A SPARQL JSON binding's value, an entity IRI shortened to its QID; None when unbound."""
    value = (binding.get(name) or {}).get("value")
    if not isinstance(value, str):
        return None
    return value[len(_ENTITY) :] if value.startswith(_ENTITY) else value


def wikidata_day(value: str) -> str | None:
    """An ISO day from a Wikidata time value ("1912-01-01T00:00:00Z" -> "1912-01-01"); None for BCE dates."""
    day = value.split("T", 1)[0].lstrip("+")
    return day if len(day) >= 4 and day[:4].isdigit() else None


def _facts_by_item(rows: list[dict]) -> dict[str, _ItemFacts]:
    facts: dict[str, _ItemFacts] = {}
    for row in rows:
        item = binding_value(row, "item")
        if not item:
            continue
        entry = facts.setdefault(item, _ItemFacts())
        for name, bucket in (("wanted", entry.classes), ("start", entry.starts), ("end", entry.ends)):
            value = binding_value(row, name)
            if value:
                bucket.add(value if name == "wanted" else (wikidata_day(value) or "0000-01-01"))
    return facts


def _check(
    qid: str, hit: dict, facts: _ItemFacts, query: NameQuery, classes: tuple[str, ...]
) -> CandidateCheck:
    label = str(hit.get("label", ""))
    if not facts.classes:
        return CandidateCheck(
            qid,
            label,
            False,
            f"not an instance of {' / '.join(classes)} (nor of a subclass), so not a {query.kind}",
        )
    problem = _date_problem(facts, query)
    if problem:
        return CandidateCheck(qid, label, False, problem)
    dated = f"; {_span(facts, query.kind)}: compatible with {query.date}" if query.date else ""
    return CandidateCheck(qid, label, True, f"an instance of {', '.join(sorted(facts.classes))}{dated}")


def _date_problem(facts: _ItemFacts, query: NameQuery) -> str | None:
    if not query.date:
        return None
    day = DateValue(query.date).sort_key()
    start = min(facts.starts) if facts.starts else None
    end = max(facts.ends) if facts.ends else None
    if query.kind in TREATY_KINDS:
        if start and start[:4] != query.date[:4]:
            return f"its point in time {start} is not in {query.date[:4]}"
        return None
    if start and start > day:
        return f"it begins on {start}, after {query.date}"
    if end and (end < day if query.kind == "Person" else end <= day):
        return f"it ends on {end}, before {query.date}"
    return None


def _span(facts: _ItemFacts, kind: str) -> str:
    start = min(facts.starts) if facts.starts else None
    end = max(facts.ends) if facts.ends else None
    names = (
        ("born", "died")
        if kind == "Person"
        else ("point in time", "")
        if kind in TREATY_KINDS
        else ("inception", "dissolved")
    )
    parts = [f"{names[0]} {start}" if start else "", f"{names[1]} {end}" if end else ""]
    return " and ".join(p for p in parts if p) or "no recorded dates"


def _decide(
    query: NameQuery, checks: tuple[CandidateCheck, ...], sources: tuple[str, ...], retrieved: str
) -> LinkResult:
    accepted = [c for c in checks if c.accepted]
    when = f"(Wikidata search and SPARQL, retrieved {retrieved[:10]})"
    rejected = "; ".join(f"{c.qid} {c.label!r}: {c.reason}" for c in checks if not c.accepted)
    if len(accepted) == 1:
        chosen = accepted[0]
        others = f"; set aside: {rejected}" if rejected else ""
        return LinkResult(
            query,
            chosen.qid,
            f"Wikidata {chosen.qid} {chosen.label!r} has the exact label or alias "
            f"{query.name!r}, is {chosen.reason}{others} {when}",
            ONLINE_CONFIDENCE,
            checks,
            sources,
        )
    if accepted:
        both = ", ".join(f"{c.qid} {c.label!r}" for c in accepted)
        return LinkResult(
            query,
            None,
            f"NIL: ambiguous, {both} all fit {query.name!r} as a {query.kind}"
            f"{' on ' + query.date if query.date else ''} {when}",
            None,
            checks,
            sources,
        )
    return LinkResult(
        query, None, f"NIL: no item named {query.name!r} fits: {rejected} {when}", None, checks, sources
    )


def link_unknown_entities(resolution: Resolution, kb: KnowledgeBase, *, endpoint: Endpoint | None = None,
                          cache_dir: Path | None = None, offline: bool = False) -> Resolution:
    """Give the entities the offline knowledge base does not know a QID from Wikidata, when the
    reconciler is sure; every other entity is left as it was.

    A QID the knowledge base already gives another entry, or that another entity already has, is
    not taken: one item, one node.
    """
    taken = {e.qid for e in kb.entries.values() if e.qid} | {e.qid for e in resolution.entities.values() if e.qid}
    queries = {key: NameQuery(entity.label, entity.kind, entity.event_date)
               for key, entity in sorted(resolution.entities.items()) if entity.qid is None and ":" in key}
    if not queries:
        return resolution
    answers = reconcile(list(queries.values()), endpoint=endpoint, cache_dir=cache_dir, offline=offline)
    entities = dict(resolution.entities)
    for key, query in queries.items():
        answer = answers.get(query)
        if answer is None or answer.is_nil or answer.qid in taken:
            continue
        taken.add(answer.qid)
        entities[key] = replace(entities[key], qid=answer.qid, link_reason=answer.reason,
                                link_confidence=answer.confidence)
    return Resolution(entities, resolution.facts)
