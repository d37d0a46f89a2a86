"""Wikidata's statements of the compared properties, fetched through the online cache.

`fetch_statements` reads, for some items, every statement of the properties
`treatykg.link.compare` compares, with one SPARQL query (point in time with its precision:
`p:P585/psv:P585 [wikibase:timeValue ...; wikibase:timePrecision ...]`, precision 9 year,
10 month, 11 day), and returns them as a `Snapshot`, so a property with no row is one the item lacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .online import SPARQL_PREFIXES, Endpoint, WikidataClient, binding_value, default_cache_dir, wikidata_day
from .snapshot import ItemStatements, Snapshot

_STATEMENT_PROPERTIES = ("P1891", "P710", "P276", "P407", "P4231", "P1365", "P1366")
_PRECISION = {"9": 4, "10": 7, "11": 10}


def _statements_query(qids: list[str]) -> str:
    items = " ".join(f"wd:{q}" for q in qids)
    pairs = " ".join(f'("{p}" wdt:{p})' for p in _STATEMENT_PROPERTIES)
    return (
        SPARQL_PREFIXES + "PREFIX p: <http://www.wikidata.org/prop/>\n"
        "PREFIX psv: <http://www.wikidata.org/prop/statement/value/>\n"
        "PREFIX wikibase: <http://wikiba.se/ontology#>\n"
        f"SELECT ?item ?prop ?value ?precision WHERE {{\n  VALUES ?item {{ {items} }}\n"
        f"  {{ VALUES (?prop ?direct) {{ {pairs} }} ?item ?direct ?value . }}\n"
        "  UNION\n"
        '  { BIND("P585" AS ?prop) ?item p:P585/psv:P585 [ wikibase:timeValue ?value ; '
        "wikibase:timePrecision ?precision ] . }\n}\n"
    )


def fetch_statements(
    qids: Iterable[str],
    *,
    endpoint: Endpoint | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
) -> Snapshot:
    """Wikidata's statements of the compared properties for some items, through the cache.

    The properties read are those `treatykg.link.compare` compares (P1891, P710, P585, P276, P407,
    P4231, P1365, P1366), all of them for every item, so a property with no row is one the item lacks.

    Raises:
        LinkingError: the request failed, or offline and the answer is not cached.
    """
    wanted = sorted(set(qids))
    if not wanted:
        return Snapshot({}, "Wikidata (no linked items)")
    client = WikidataClient(
        endpoint or Endpoint(), Path(cache_dir) if cache_dir else default_cache_dir(), offline=offline
    )
    rows, retrieved, url = client.sparql(_statements_query(wanted))
    values: dict[str, dict[str, list[str]]] = {
        q: {p: [] for p in (*_STATEMENT_PROPERTIES, "P585")} for q in wanted
    }
    for row in rows:
        item, prop, value = (
            binding_value(row, "item"),
            binding_value(row, "prop"),
            binding_value(row, "value"),
        )
        if item not in values or prop not in values[item] or value is None:
            continue
        if prop == "P585":
            day = wikidata_day(value)
            if day is None:
                continue
            value = day[: _PRECISION.get(binding_value(row, "precision") or "11", 10)]
        if value not in values[item][prop]:
            values[item][prop].append(value)
    evidence = f"Wikidata SPARQL endpoint, retrieved {retrieved}: {url}"
    items = {
        q: ItemStatements(q, None, evidence, {p: tuple(v) for p, v in props.items()})
        for q, props in values.items()
    }
    return Snapshot(
        items,
        f"Wikidata via {endpoint.sparql_url if endpoint else Endpoint().sparql_url} "
        f"(cache {client.cache_dir}, retrieved {retrieved[:10]})",
    )
