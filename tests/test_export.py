"""Tests for treatykg.export: reading RDF fetches nothing and expands no entities; writing
refuses what a format cannot carry (issue 7, docs/hostile-input.md)."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from recording_server import Recorder, recording_server
from treatykg import InputError
from treatykg.cli import main
from treatykg.errors import OutputError
from treatykg.export import jsonld_context, load_graph, load_union, serialize
from treatykg.graphfiles import GraphFiles

RDF_XML_HEAD = '<?xml version="1.0"?>\n'
RDF_XML_BODY = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
    '  <rdf:Description rdf:about="http://example.org/a"><ex:p>{value}</ex:p></rdf:Description>\n'
    "</rdf:RDF>\n"
)


def _laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        RDF_XML_HEAD
        + "<!DOCTYPE rdf:RDF [\n"
        + "\n".join(entities)
        + "\n]>\n"
        + RDF_XML_BODY.format(value=f"&lol{levels - 1};")
    )


@pytest.fixture(scope="module")
def server() -> Recorder:
    with recording_server() as recorder:
        yield recorder


@pytest.mark.parametrize(
    "context",
    [
        pytest.param("{url}/context.jsonld", id="url"),
        pytest.param(["{url}/context.jsonld", {"name": "http://example.org/name"}], id="url-in-list"),
        pytest.param({"@import": "{url}/context.jsonld"}, id="import"),
        pytest.param({"knows": {"@id": "http://example.org/knows", "@context": "{url}/scoped"}}, id="scoped"),
        pytest.param("file:///etc/passwd", id="local-file"),
        pytest.param("../secret.jsonld", id="relative-file"),
    ],
)
def test_load_graph_jsonld_never_fetches_a_context(tmp_path: Path, server: Recorder, context: object) -> None:
    document = {"@context": context, "@id": "http://example.org/a", "name": "x"}
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(document).replace("{url}", server.url), encoding="utf-8")
    with pytest.raises(InputError, match="which treatykg does not fetch") as raised:
        load_graph(path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert server.hits == []


@pytest.mark.parametrize("nested", [pytest.param(True, id="context-deep-in-graph")])
def test_load_graph_jsonld_nested_context_url_refused(tmp_path: Path, server: Recorder, nested: bool) -> None:
    document = {
        "@graph": [{"@id": "http://example.org/a", "http://example.org/p": {"@context": f"{server.url}/c"}}]
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="does not fetch"):
        load_graph(path)
    assert server.hits == []


@pytest.mark.parametrize("depth", [pytest.param(50_000, id="50000-deep")])
def test_load_graph_jsonld_deeply_nested(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    with pytest.raises(InputError, match="is not valid JSON-LD"):
        load_graph(path)


@pytest.mark.parametrize("inline", [pytest.param({"name": "http://example.org/name"}, id="inline-context")])
def test_load_graph_jsonld_inline_context_reads(tmp_path: Path, inline: dict) -> None:
    path = tmp_path / "ok.jsonld"
    path.write_text(
        json.dumps({"@context": inline, "@id": "http://example.org/a", "name": "x"}), encoding="utf-8"
    )
    assert (URIRef("http://example.org/a"), URIRef("http://example.org/name"), Literal("x")) in load_graph(
        path
    )


@pytest.mark.parametrize(
    ("doctype", "name"),
    [
        pytest.param('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "xxe", id="external-entity-file"),
        pytest.param('<!ENTITY xxe SYSTEM "{url}/leak">', "xxe", id="external-entity-url"),
        pytest.param('<!ENTITY % dtd SYSTEM "{url}/evil.dtd"> %dtd;', "dtd", id="parameter-entity"),
        pytest.param('<!ENTITY owl "http://www.w3.org/2002/07/owl#">', "owl", id="internal-entity"),
    ],
)
def test_load_graph_rdfxml_refuses_entities(
    tmp_path: Path, server: Recorder, doctype: str, name: str
) -> None:
    path = tmp_path / "graph.rdf"
    value = "&xxe;" if name == "xxe" else "x"
    path.write_text(
        RDF_XML_HEAD
        + f"<!DOCTYPE rdf:RDF [\n{doctype.replace('{url}', server.url)}\n]>\n"
        + RDF_XML_BODY.format(value=value),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=f"declares the XML entity {name} in its DTD; entities are refused"):
        load_graph(path)
    assert server.hits == []


@pytest.mark.parametrize("levels", [pytest.param(10, id="billion-laughs")])
def test_load_graph_rdfxml_billion_laughs_refused_fast(tmp_path: Path, levels: int) -> None:
    """rdflib alone spends minutes on this file (expat's amplification limit comes too late)."""
    path = tmp_path / "laughs.rdf"
    path.write_text(_laughs(levels), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InputError, match="declares the XML entity lol0"):
        load_graph(path)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("encoding", [pytest.param("utf-16", id="utf-16-laughs")])
def test_load_graph_rdfxml_entities_refused_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(
        _laughs(3)
        .replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
        .encode(encoding)
    )
    with pytest.raises(InputError, match="declares the XML entity lol0"):
        load_graph(path)


@pytest.mark.parametrize("system", [pytest.param("{url}/evil.dtd", id="external-dtd")])
def test_load_graph_rdfxml_external_dtd_not_fetched(tmp_path: Path, server: Recorder, system: str) -> None:
    path = tmp_path / "graph.rdf"
    path.write_text(
        RDF_XML_HEAD
        + f'<!DOCTYPE rdf:RDF SYSTEM "{system.replace("{url}", server.url)}">\n'
        + RDF_XML_BODY.format(value="x"),
        encoding="utf-8",
    )
    assert len(load_graph(path)) == 1
    assert server.hits == []


@pytest.mark.parametrize("text", [pytest.param("page one\fpage two\x0b\x1b", id="form-feed-and-escape")])
def test_serialize_xml_refuses_control_characters_other_formats_keep_them(text: str) -> None:
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/quote"), Literal(text)))
    with pytest.raises(OutputError, match=r"cannot be written as RDF/XML: .* holds U\+000C"):
        serialize(graph, "xml")
    for fmt, rdflib_format in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        data = serialize(graph, fmt).decode("utf-8")
        parsed = Graph().parse(data=data, format=rdflib_format)
        assert Literal(text) in set(parsed.objects())


@pytest.mark.parametrize("fmt", [pytest.param("xml", id="xml")])
def test_export_cli_xml_with_control_characters_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = tmp_path / "g.nt"
    path.write_text('<http://example.org/a> <http://example.org/q> "a\\u000Cb" .\n', encoding="utf-8")
    assert main(["export", str(path), "--format", fmt, "-o", str(tmp_path / "g.rdf")]) == 2
    assert "XML 1.0 cannot carry" in capsys.readouterr().err
    assert not (tmp_path / "g.rdf").exists()


@pytest.mark.parametrize("folder", [pytest.param("no-such-folder/graph.ttl", id="missing-folder")])
def test_export_cli_unwritable_output_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    path = tmp_path / "g.nt"
    path.write_text(
        "<http://example.org/a> <http://example.org/q> <http://example.org/b> .\n", encoding="utf-8"
    )
    assert main(["export", str(path), "-o", str(tmp_path / folder)]) == 2
    err = capsys.readouterr().err
    assert "cannot be written" in err and len(err.strip().splitlines()) == 1


_iris = st.sampled_from(["https://w3id.org/treatykg/id/graph/a", "https://w3id.org/treatykg/id/graph/b%20c",
                         "http://example.org/s", "urn:x:é"]).map(ox.NamedNode)
_blanks = st.sampled_from(["b0", "b1"]).map(ox.BlankNode)
_literals = st.one_of(
    st.text(max_size=12).map(ox.Literal),
    st.tuples(st.text(max_size=8), st.sampled_from(["en", "zh-Hant"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.tuples(st.text(max_size=8), _iris).map(lambda t: ox.Literal(t[0], datatype=t[1])))
_quads = st.builds(ox.Quad, st.one_of(_iris, _blanks), _iris, st.one_of(_iris, _blanks, _literals),
                   st.one_of(st.just(ox.DefaultGraph()), _iris, _blanks))


@settings(max_examples=300, deadline=None)
@given(st.lists(_quads, max_size=12))
def test_graph_files_split_any_quads_into_their_union_and_graphs(quads: list[ox.Quad]) -> None:
    """Literals with spaces, quotes, angle brackets and escapes, language tags and datatypes do not
    fool the line splitter: the union is the quads' triples, and TriG keeps each quad in its graph."""
    files = GraphFiles.of(quads)
    union = [q.triple for q in ox.parse(path=files.union, format=ox.RdfFormat.N_TRIPLES)]
    assert len(union) == len(set(union)) == files.triples and set(union) == {q.triple for q in quads}
    assert set(ox.parse(serialize(quads, "trig"), format=ox.RdfFormat.TRIG)) == set(quads)
    nquads = list(ox.parse(path=files.nquads, format=ox.RdfFormat.N_QUADS))
    assert len(nquads) == files.quads and set(nquads) == set(quads)
    lines = files.nquads.read_bytes().splitlines()
    assert lines == sorted(set(lines))


def test_trig_puts_the_default_graph_first_then_named_graphs_in_iri_order() -> None:
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    quads = [ox.Quad(s, p, ox.Literal(str(n)), ox.NamedNode(f"http://example.org/g{n % 3}")) for n in range(9)]
    quads.append(ox.Quad(s, p, ox.Literal("default"), ox.DefaultGraph()))
    graphs = [q.graph_name for q in ox.parse(serialize(quads, "trig"), format=ox.RdfFormat.TRIG)]
    order = list(dict.fromkeys(graphs))
    assert order == [ox.DefaultGraph(), *(ox.NamedNode(f"http://example.org/g{n}") for n in range(3))]


def test_jsonld_writes_a_node_per_line_sorted_by_id(seed_build) -> None:
    text = serialize(seed_build.quads, "jsonld").decode("utf-8")
    document = json.loads(text)
    start = text.index('"@graph": [\n') + len('"@graph": [\n')
    lines = text[start:].splitlines()[:-2]
    nodes = [json.loads(line.strip().rstrip(",")) for line in lines]
    assert nodes == document["@graph"] and len(nodes) > 100
    assert [n["@id"] for n in nodes] == sorted(n["@id"] for n in nodes)


def test_json_ld_is_not_spliced_into_a_file_written_with_another_context() -> None:
    from treatykg.jsonld import splice_jsonld, write_jsonld

    node = ox.NamedNode("https://w3id.org/treatykg/id/state/x")
    label = ox.Triple(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"))
    triples = ox.serialize([label], format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
    context = jsonld_context()
    previous = io.BytesIO()
    write_jsonld(triples, {**context, "extra": "https://example.org/extra"}, previous)
    stream = io.BytesIO()
    assert not splice_jsonld(previous.getvalue(), triples, [node], context, stream)
    assert stream.getvalue() == b""
    write_jsonld(triples, context, previous := io.BytesIO())
    mangled = previous.getvalue().replace(b'{"@id": "', b'{"@id": ', 1)
    assert not splice_jsonld(mangled, triples, [node], context, stream)
    assert stream.getvalue() == b""
    write_jsonld([], context, previous := io.BytesIO())
    assert splice_jsonld(previous.getvalue(), triples, [node], context, stream)
    expected = io.BytesIO()
    write_jsonld(triples, context, expected)
    assert stream.getvalue() == expected.getvalue()


_ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_JSON_LD_OBJECTS = st.one_of(
    _ANY_TEXT.map(ox.Literal),  # control characters, quotes and backslashes: escaped in the N-Triples read
    st.tuples(_ANY_TEXT, st.sampled_from(["en", "fr", "zh-hant"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers(0, 10**6).map(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(_XSD + "integer"))),
    st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(_XSD + "date"))),
    st.sampled_from([ox.NamedNode("https://w3id.org/treatykg/id/state/x"), ox.NamedNode("https://example.org/other"),
                     ox.NamedNode("https://w3id.org/treatykg/ontology#Treaty"), ox.BlankNode("b1")]),
)
_JSON_LD_SUBJECTS = st.sampled_from([ox.NamedNode("https://w3id.org/treatykg/id/treaty/t"),
                                     ox.NamedNode("https://example.org/s"), ox.BlankNode("b1")])
_JSON_LD_PREDICATES = st.sampled_from([ox.NamedNode(iri) for iri in (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/treatykg/ontology#quote",
    "https://w3id.org/treatykg/ontology#charStart", "https://w3id.org/treatykg/ontology#signs",
    "https://w3id.org/treatykg/ontology#signingDate", "https://example.org/p")])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_JSON_LD_SUBJECTS, _JSON_LD_PREDICATES, _JSON_LD_OBJECTS), max_size=10))
def test_json_ld_read_from_n_triples_lines_holds_the_graph(triples: list[tuple]) -> None:
    """The writer cuts N-Triples lines by hand and decodes escaped literals as JSON strings."""
    quads = [ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples]
    expected = Graph().parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    written = Dataset(default_union=True)
    written.parse(data=serialize(quads, "jsonld"), format="json-ld", context=jsonld_context())
    actual = Graph()
    for s, p, o, _ in written.quads((None, None, None, None)):
        actual.add((s, p, o))
    assert isomorphic(expected, actual)


_SPLICE_STATES = [ox.NamedNode(f"https://w3id.org/treatykg/id/state/{n}") for n in "abcdefgh"]
_SPLICE_SUBJECTS = st.sampled_from([*_SPLICE_STATES, ox.NamedNode("https://example.org/s"),
                                    ox.BlankNode("b1"), ox.BlankNode("b2")])
_SPLICE_TRIPLES = st.sets(st.builds(ox.Triple, _SPLICE_SUBJECTS, _JSON_LD_PREDICATES, _JSON_LD_OBJECTS),
                          max_size=40)


@settings(max_examples=300, deadline=None)
@given(_SPLICE_TRIPLES, _SPLICE_TRIPLES, _SPLICE_TRIPLES)
def test_a_spliced_json_ld_file_is_the_file_written_afresh(before: set, removed: set, added: set) -> None:
    from treatykg.jsonld import splice_jsonld, write_jsonld

    def lines(triples: set) -> list[bytes]:
        return sorted(ox.serialize([t], format=ox.RdfFormat.N_TRIPLES) for t in triples)

    def written(triples: set) -> bytes:
        write_jsonld(lines(triples), jsonld_context(), stream := io.BytesIO())
        return stream.getvalue()

    after = (before - removed) | added
    subjects = {t.subject for t in before ^ after}
    stream = io.BytesIO()
    assert splice_jsonld(written(before), lines({t for t in after if t.subject in subjects}), subjects,
                         jsonld_context(), stream)
    assert stream.getvalue() == written(after)


# ---------------------------------------------------------------- reading a build folder (issue 5)


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from treatykg import build_graph, write_build

    out = tmp_path_factory.mktemp("seed") / "out"
    seeds = Path(__file__).resolve().parents[1] / "data" / "seeds"
    write_build(build_graph([seeds], run_validation=False), out)
    return out


def _by_rdflib(trig: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    return dataset


def _named_graphs(dataset: Dataset) -> dict[str, set]:
    graphs: dict[str, set] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graphs.setdefault(str(getattr(g, "identifier", g)), set()).add((s, p, o))
    return graphs


def test_a_build_folder_reads_as_rdflib_reads_its_trig(seed_out: Path) -> None:
    """pyoxigraph parses a build folder's graph.trig: every graph holds what rdflib's parser gives."""
    assert _named_graphs(load_graph(seed_out)) == _named_graphs(_by_rdflib(seed_out / "graph.trig"))


def test_load_union_of_a_build_folder_is_its_union_with_the_prefixes(seed_out: Path) -> None:
    union = load_union(seed_out)
    assert set(union) == {(s, p, o) for s, p, o, _ in _by_rdflib(seed_out / "graph.trig").quads()}
    assert dict(union.namespaces())["tkg"] == URIRef("https://w3id.org/treatykg/ontology#")


def test_load_union_of_a_file_reads_it_with_rdflib(seed_out: Path) -> None:
    assert set(load_union(seed_out / "graph.ttl")) == set(load_union(seed_out))


@pytest.mark.parametrize("damage", [b"<not closed", b"@prefix x: <y> .\nx:a x:b"])
def test_a_build_folder_with_a_broken_trig_is_one_line_naming_it(seed_out: Path, tmp_path: Path,
                                                                  damage: bytes) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "graph.trig").write_bytes((seed_out / "graph.trig").read_bytes() + damage)
    for read in (load_graph, load_union):
        with pytest.raises(InputError) as error:
            read(folder)
        assert str(error.value).startswith(f"{folder / 'graph.trig'}: is not valid trig (")
        assert "\n" not in str(error.value)


def test_a_build_folder_without_its_trig_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graph.trig: no such graph file"):
        load_union(tmp_path)
