"""The competency questions under queries/*.rq, run on the seed graph against their expected results.

Each ``queries/<name>.rq`` has an expected result ``tests/golden/queries/<name>.srj`` in the SPARQL 1.1
query results JSON format. A query is compared row by row in order when it has an ORDER BY, and as an
unordered multiset of rows otherwise; values are compared as strings (datatypes and term types in the
.srj are for the reader), columns by name.

``pytest tests/test_queries.py --update-golden`` rewrites the .srj files from the current graph
(and writes the missing ones); review the change as a diff before committing it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
GOLDEN = ROOT / "tests" / "golden" / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))
HEADER_FIELDS = ("# Question:", "# Parameters:", "# Columns:")

_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)

Row = tuple[str | None, ...]


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    """The union graph built from data/seeds, once for this module (no SHACL validation)."""
    from treatykg import build_graph

    result = build_graph([ROOT / "data" / "seeds"], run_validation=False)
    return result.graph


@pytest.fixture(scope="module")
def updating(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the .srj files (pytest --update-golden, declared in conftest.py)."""
    return bool(request.config.getoption("--update-golden", default=False))


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _is_ordered(text: str) -> bool:
    return bool(_ORDER_BY.search(_body(text)))


def _header(text: str) -> list[str]:
    """The comment block the query opens with."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _term(node: object) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    if isinstance(node, Literal):
        term = {"type": "literal", "value": str(node)}
        if node.language:
            term["xml:lang"] = node.language
        elif node.datatype:
            term["datatype"] = str(node.datatype)
        return term
    raise TypeError(f"unexpected term {node!r}")


def srj(graph: Graph, text: str) -> dict:
    """The SELECT query's answer on graph in the SPARQL 1.1 query results JSON format."""
    from rdflib.plugins.sparql import prepareQuery

    result = graph.query(prepareQuery(text))
    columns = [str(v) for v in result.vars]
    bindings = [{c: _term(v) for c, v in zip(columns, row, strict=True) if v is not None} for row in result]
    return {"head": {"vars": columns}, "results": {"bindings": bindings}}


def _write_srj(path: Path, data: dict) -> None:
    """Valid JSON with one binding a line, so that a change reads as a short diff."""
    bindings = ",\n".join(f"  {json.dumps(b, ensure_ascii=False)}" for b in data["results"]["bindings"])
    head = json.dumps(data["head"], ensure_ascii=False)
    text = f'{{"head": {head},\n "results": {{"bindings": [\n{bindings}\n ]}}}}\n'
    assert json.loads(text) == data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _expected_rows(data: dict) -> tuple[list[str], list[Row]]:
    columns = list(data["head"]["vars"])
    rows = [tuple(b[c]["value"] if c in b else None for c in columns) for b in data["results"]["bindings"]]
    return columns, rows


def _show(rows: object) -> str:
    return "\n".join(f"    {row}" for row in rows) or "    (none)"


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in QUERY_FILES])
def test_query_matches_golden(path: Path, seed_graph: Graph, updating: bool) -> None:
    from treatykg import run_query

    text = path.read_text(encoding="utf-8")
    golden = GOLDEN / f"{path.stem}.srj"
    if updating:
        _write_srj(golden, srj(seed_graph, text))
    assert golden.is_file(), f"{golden.relative_to(ROOT)} is missing; run pytest with --update-golden"

    result = run_query(seed_graph, text)
    columns, expected = _expected_rows(json.loads(golden.read_text(encoding="utf-8")))
    assert sorted(result.columns) == sorted(columns), f"{path.name}: columns {result.columns} != {columns}"
    index = {c: i for i, c in enumerate(result.columns)}
    actual: list[Row] = [tuple(row[index[c]] for c in columns) for row in result.rows]

    if _is_ordered(text):
        if actual != expected:
            first = next((i for i, (a, e) in enumerate(zip(actual, expected, strict=False)) if a != e),
                         min(len(actual), len(expected)))
            pytest.fail(f"{path.name} (ordered): {len(actual)} rows, expected {len(expected)}; "
                        f"first difference at row {first}:\n  got:\n{_show(actual[first:first + 3])}\n"
                        f"  expected:\n{_show(expected[first:first + 3])}")
    else:
        missing = Counter(expected) - Counter(actual)
        unexpected = Counter(actual) - Counter(expected)
        if missing or unexpected:
            pytest.fail(f"{path.name}: rows missing:\n{_show(missing.elements())}\n"
                        f"  rows not expected:\n{_show(unexpected.elements())}")


def test_every_query_has_a_golden_result_and_back() -> None:
    queries = {p.stem for p in QUERY_FILES}
    goldens = {p.stem for p in GOLDEN.glob("*.srj")}
    assert len(queries) >= 14, f"only {len(queries)} competency questions under queries/"
    assert not queries - goldens, f"queries without a tests/golden/queries/*.srj: {sorted(queries - goldens)}"
    assert not goldens - queries, f".srj files without a queries/*.rq: {sorted(goldens - queries)}"


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in QUERY_FILES])
def test_query_opens_with_its_comment_block(path: Path) -> None:
    header = _header(path.read_text(encoding="utf-8"))
    assert header and header[0].startswith("# Question:"), f"{path.name} must open with a '# Question:' line"
    assert header[0][len("# Question:"):].strip(), f"{path.name}: the question is empty"
    for field in HEADER_FIELDS:
        assert any(line.startswith(field) for line in header), f"{path.name}: no '{field}' line in its header"


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in QUERY_FILES])
def test_query_is_general(path: Path) -> None:
    """No query names a built entity's IRI: entities are selected by label, link or property."""
    body = _body(path.read_text(encoding="utf-8"))
    assert "w3id.org/treatykg/id/" not in body, f"{path.name} hard-codes an entity IRI"
    assert re.search(r"^\s*SELECT\b", body, re.IGNORECASE | re.MULTILINE), f"{path.name}: not a SELECT query"


TKG = "https://w3id.org/treatykg/ontology#"
_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{([^}]*)\}", re.IGNORECASE)

# Queries that list classes in a VALUES block rather than finding them from the ontology at query
# time (oxigraph reads every rdf:type triple for a class filter or an rdfs:subClassOf* path): for
# each, the VALUES variable and which classes of ontology/treatykg.ttl it must list.
CLASS_LISTS = {
    "ambiguous-names": {"c": "entity", "cy": "entity"},
    "unlinked-entities": {"c": "entity"},
    "timeline": {"c": "instrument"},
}


def _ontology_classes() -> dict[str, set[str]]:
    """The tkg classes by kind: entity (all but Document, Evidence, Extractor), instrument (tkg:Treaty
    and its subclasses)."""
    from rdflib.namespace import OWL, RDF, RDFS

    onto = Graph().parse(ROOT / "ontology" / "treatykg.ttl")
    classes = {str(c) for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(TKG)}
    treaty = URIRef(TKG + "Treaty")
    instruments = {str(c) for c in onto.transitive_subjects(RDFS.subClassOf, treaty)}
    entity = classes - {TKG + "Document", TKG + "Evidence", TKG + "Extractor"}
    return {"entity": entity, "instrument": instruments}


@pytest.mark.parametrize("name", sorted(CLASS_LISTS))
def test_listed_classes_are_the_ontologys(name: str) -> None:
    """A query's default VALUES list of classes is exactly the ontology's (entity or instrument) classes."""
    body = _body((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    blocks = {var: {TKG + local for local in re.findall(r"\btkg:(\w+)", values)}
              for var, values in _VALUES.findall(body)}
    expected = _ontology_classes()
    for var, kind in CLASS_LISTS[name].items():
        assert var in blocks, f"{name}.rq has no VALUES ?{var} block"
        missing, extra = expected[kind] - blocks[var], blocks[var] - expected[kind]
        assert not missing and not extra, (f"{name}.rq VALUES ?{var}: missing {sorted(missing)}, "
                                           f"not {kind} classes {sorted(extra)}")
