"""Tests for treatykg.link.online against a local replay server (tests/link/conftest.py); never the network.

The intended use, as `treatykg build --online` will do it: collect a NameQuery per entity the
offline knowledge base left unlinked, call `reconcile` once with the network to fill the cache, and
get the same answers later from the cache alone (`offline=True`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from treatykg.link.online import (
    DEFAULT_USER_AGENT,
    ONLINE_CONFIDENCE,
    Endpoint,
    LinkResult,
    NameQuery,
    WikidataClient,
    reconcile,
)
from treatykg.link.statements import fetch_statements

if TYPE_CHECKING:
    from conftest import ReplayServer

QUERIES = [
    NameQuery("Republic of Xanadu", "State", "1950-02-14"),
    NameQuery("Republic of Xanadu", "State", "1910-01-01"),
    NameQuery("Twin City", "City"),
    NameQuery("Xanadu Envoy", "Person", "1950-02-14"),
    NameQuery("Xanadu Gazette", "Person", "1950-02-14"),
]


def _answers(results: dict[NameQuery, LinkResult]) -> dict[NameQuery, tuple[str | None, str]]:
    return {query: (result.qid, result.reason) for query, result in results.items()}


@pytest.mark.parametrize("queries", [pytest.param(QUERIES, id="five-names")])
def test_reconcile_fills_cache_then_answers_offline(
    replay_server: ReplayServer, tmp_path: Path, queries: list[NameQuery]
) -> None:
    cache = tmp_path / "cache"
    online = reconcile(queries, endpoint=replay_server.endpoint(), cache_dir=cache, offline=False)
    asked = len(replay_server.requests)
    assert asked == 7  # 4 searches (one name twice) + 3 SPARQL checks (one shared by both Xanadu dates)
    assert len(list(cache.glob("*.json"))) == 7
    replay_server.stop()
    offline = reconcile(queries, endpoint=replay_server.endpoint(), cache_dir=cache, offline=True)
    assert _answers(offline) == _answers(online)
    assert len(replay_server.requests) == asked


@pytest.mark.parametrize(
    ("query", "qid", "reason_parts"),
    [
        pytest.param(
            QUERIES[0], "Q900000001", ["exact label", "Q900000002", "ends on 1920-05-01"], id="date-picks-new"
        ),
        pytest.param(
            QUERIES[1], "Q900000002", ["alias", "Q900000001", "begins on 1930-05-01"], id="date-picks-old"
        ),
        pytest.param(QUERIES[2], None, ["ambiguous", "Q900000011", "Q900000012"], id="ambiguous-nil"),
        pytest.param(
            QUERIES[3],
            None,
            ["no Wikidata item has the exact label or alias", "Xanadu Envoys"],
            id="no-exact-nil",
        ),
        pytest.param(QUERIES[4], None, ["not an instance of Q5", "not a Person"], id="wrong-type-nil"),
    ],
)
def test_reconcile_answers_only_when_sure(
    replay_server: ReplayServer, tmp_path: Path, query: NameQuery, qid: str | None, reason_parts: list[str]
) -> None:
    result = reconcile([query], endpoint=replay_server.endpoint(), cache_dir=tmp_path, offline=False)[query]
    assert result.qid == qid
    assert result.confidence == (ONLINE_CONFIDENCE if qid else None)
    assert result.reason.startswith("NIL") == (qid is None)
    for part in reason_parts:
        assert part in result.reason


@pytest.mark.parametrize("query", [pytest.param(NameQuery("Far East", "Place"), id="place-has-no-class")])
def test_reconcile_kind_without_verified_class_is_nil_without_request(
    replay_server: ReplayServer, tmp_path: Path, query: NameQuery
) -> None:
    result = reconcile([query], endpoint=replay_server.endpoint(), cache_dir=tmp_path)[query]
    assert result.is_nil and "no verified Wikidata class" in result.reason
    assert replay_server.requests == []


@pytest.mark.parametrize("query", [pytest.param(QUERIES[0], id="uncached")])
def test_reconcile_offline_cache_miss_is_nil(tmp_path: Path, query: NameQuery) -> None:
    result = reconcile([query], cache_dir=tmp_path / "empty", offline=True)[query]
    assert result.is_nil
    assert "offline" in result.reason


@pytest.mark.parametrize(
    "agent",
    [
        pytest.param(None, id="default"),
        pytest.param("treatykg/0.1 (test; contact: t@example.invalid)", id="custom"),
    ],
)
def test_client_sends_user_agent(replay_server: ReplayServer, tmp_path: Path, agent: str | None) -> None:
    endpoint = replay_server.endpoint()
    if agent:
        endpoint = Endpoint(endpoint.api_url, endpoint.sparql_url, agent, 0.0, 5.0)
    reconcile([QUERIES[3]], endpoint=endpoint, cache_dir=tmp_path)
    sent = {r.headers.get("User-Agent") for r in replay_server.requests}
    assert sent == {agent or DEFAULT_USER_AGENT}
    assert all(a.startswith("treatykg/0.1 (") and "contact:" in a for a in sent)


@pytest.mark.parametrize("interval", [pytest.param(0.25, id="quarter-second")])
def test_client_rate_limit_spaces_requests(
    replay_server: ReplayServer, tmp_path: Path, interval: float
) -> None:
    reconcile(QUERIES[2:4], endpoint=replay_server.endpoint(min_interval=interval), cache_dir=tmp_path)
    times = [r.at for r in replay_server.requests]
    assert len(times) == 3
    assert all(later - earlier >= interval * 0.95 for earlier, later in zip(times, times[1:], strict=False))


@pytest.mark.parametrize("url", [pytest.param("http://127.0.0.1:1/w/api.php?search=x", id="any-url")])
def test_cache_file_is_named_by_hash_of_url(tmp_path: Path, url: str) -> None:
    client = WikidataClient(Endpoint(), tmp_path)
    assert client.cache_path(url).name == hashlib.sha256(url.encode()).hexdigest() + ".json"


@pytest.mark.parametrize("qid", [pytest.param("Q900000099", id="fictional-treaty")])
def test_fetch_statements_through_cache(replay_server: ReplayServer, tmp_path: Path, qid: str) -> None:
    online = fetch_statements([qid], endpoint=replay_server.endpoint(), cache_dir=tmp_path)
    replay_server.stop()
    offline = fetch_statements([qid], endpoint=replay_server.endpoint(), cache_dir=tmp_path, offline=True)
    assert online.items[qid].statements == offline.items[qid].statements
    statements = offline.items[qid].statements
    assert statements["P710"] == ("Q15180",)
    assert statements["P4231"] == ("3103",)
    assert statements["P585"] == ("1950",)  # year precision (9) keeps the year only
    assert statements["P1891"] == ()  # read, and empty: Wikidata lacks any signatory
