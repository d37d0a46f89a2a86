"""Tests for treatykg.cli: commands, output files, messages and the exit-code contract.

Exit codes (README, `treatykg -h`): 0 ok, 1 graph does not conform, 2 bad input or usage,
3 internal error. `main(argv)` is what the `treatykg` script runs, so exit codes are tested
through it; help and binary stdout through click's CliRunner, in-process.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import treatykg
from treatykg.cli import cli, main
from treatykg.export import jsonld_context

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
ONE_SEED = SEEDS / "004_39a580485f31525e.txt"
BUILD_FILES = ("graph.ttl", "graph.jsonld", "graph.trig", "graph.nq", "shacl-report.ttl", "shacl-report.txt")
STATE_QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/treatykg/ontology#State> } ORDER BY ?s"
NONCONFORMING_TTL = """\
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:p a tkg:Person ; rdfs:label "A Person" ; tkg:signs ex:s .
ex:s a tkg:State ; rdfs:label "A State" .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/seeds built once by `treatykg build` into a fresh folder."""
    out = tmp_path_factory.mktemp("cli") / "out"
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def built_graph(built: Path) -> Graph:
    return Graph().parse(built / "graph.ttl", format="turtle")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _bad_input(tmp_path: Path, kind: str) -> Path:
    """A path `treatykg build` must refuse, made by hand."""
    if kind == "missing":
        return tmp_path / "no-such-document.txt"
    if kind == "empty-folder":
        (tmp_path / "empty-folder").mkdir()
        return tmp_path / "empty-folder"
    path = tmp_path / f"{kind}.txt"
    path.write_bytes(
        {
            "empty-file": b"",
            "binary": b"Treaty\x00\x00\x01\x02of Moscow",
            "latin-1": "Traité signé à Moscou le 14 février 1950".encode("latin-1"),
        }[kind]
    )
    return path


BAD_INPUTS = [
    pytest.param(kind, id=kind) for kind in ("missing", "empty-folder", "empty-file", "binary", "latin-1")
]


# ---------------------------------------------------------------- build


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in BUILD_FILES])
def test_build_writes_output_file(built: Path, name: str) -> None:
    assert (built / name).is_file() and (built / name).stat().st_size > 0


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        pytest.param("graph.ttl", "turtle", id="turtle"),
        pytest.param("graph.jsonld", "json-ld", id="json-ld"),
        pytest.param("graph.nq", "nquads", id="nquads"),
        pytest.param("graph.trig", "trig", id="trig"),
    ],
)
def test_build_outputs_hold_the_same_triples(built: Path, built_graph: Graph, name: str, fmt: str) -> None:
    dataset = Dataset(default_union=True)
    if fmt == "json-ld":
        dataset.parse(built / name, format=fmt, context=jsonld_context())
    else:
        dataset.parse(built / name, format=fmt)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert len(union) > 100
    assert isomorphic(union, built_graph)


@pytest.mark.parametrize("name", [pytest.param("shacl-report.txt", id="report")])
def test_build_report_says_conforms(built: Path, name: str) -> None:
    assert "Conforms: True" in (built / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("quiet", [pytest.param(False, id="verbose"), pytest.param(True, id="quiet")])
def test_build_summary_on_stderr_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet: bool
) -> None:
    code = main(["build", str(ONE_SEED), "-o", str(tmp_path / "out"), *(["-q"] if quiet else [])])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    assert ("documents ->" in captured.err) is not quiet
    assert ("SHACL:    conforms" in captured.err) is not quiet


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_build_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = _bad_input(tmp_path, kind)
    code = main(["build", str(path), "-o", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_build_failure_leaves_out_unchanged(tmp_path: Path, built: Path, kind: str) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    (tmp_path / "inputs").mkdir()
    path = _bad_input(tmp_path / "inputs", kind)
    assert main(["build", str(path), "-o", str(out), "-q"]) == 2
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs", "out"]  # no staging folder or lock left


@pytest.mark.parametrize("kind", [pytest.param("empty-file", id="empty-file")])
def test_build_strict_refuses_unreadable_document(tmp_path: Path, built: Path, kind: str) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    bad = _bad_input(tmp_path, kind)
    assert main(["build", str(ONE_SEED), str(bad), "--strict", "-o", str(out), "-q"]) == 2
    assert _snapshot(out) == before


@pytest.mark.parametrize("kind", [pytest.param("binary", id="binary")])
def test_build_skips_unreadable_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    bad = _bad_input(tmp_path, kind)
    assert main(["build", str(ONE_SEED), str(bad), "-o", str(tmp_path / "out"), "-q"]) == 0
    err = capsys.readouterr().err
    assert f"skipped: {bad}" in err
    assert (tmp_path / "out" / "graph.ttl").is_file()


# ---------------------------------------------------------------- help, version, usage


def _command_names() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("command", [pytest.param(name, id=name) for name in _command_names()])
@pytest.mark.parametrize("flag", [pytest.param("-h", id="short"), pytest.param("--help", id="long")])
def test_cli_help_has_example(command: str, flag: str) -> None:
    result = CliRunner().invoke(cli, [command, flag])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"treatykg {command}" in result.output


@pytest.mark.parametrize("command", [pytest.param(name, id=name) for name in _command_names()])
def test_main_help_exits_0(capsys: pytest.CaptureFixture[str], command: str) -> None:
    assert main([command, "-h"]) == 0
    assert "Example:" in capsys.readouterr().out


@pytest.mark.parametrize("flag", [pytest.param("-h", id="short")])
def test_cli_help_lists_commands_and_exit_codes(flag: str) -> None:
    result = CliRunner().invoke(cli, [flag])
    assert result.exit_code == 0
    assert all(name in result.output for name in ("build", "validate", "query", "export"))
    assert "Exit codes" in result.output


@pytest.mark.parametrize("flag", [pytest.param("--version", id="version")])
def test_main_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert main([flag]) == 0
    assert treatykg.__version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["query"], id="missing-argument"),
        pytest.param(["export", "x", "--format", "docx"], id="bad-choice"),
    ],
)
def test_main_usage_error_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err


@pytest.mark.parametrize("debug", [pytest.param(False, id="plain"), pytest.param(True, id="debug")])
def test_main_internal_error_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, debug: bool
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("treatykg.build.build_graph", broken)
    code = main([*(["--debug"] if debug else []), "build", str(ONE_SEED), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 3
    assert "please report" in err and "boom" in err
    assert ("Traceback" in err) is debug


# ---------------------------------------------------------------- query


@pytest.mark.parametrize("fmt", [pytest.param("table", id="table")])
def test_query_select_table(built: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["query", str(built), STATE_QUERY, "--format", fmt]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].strip() == "s"
    assert set(lines[1]) == {"-"}
    assert "https://w3id.org/treatykg/id/state/prc" in lines[2:]


@pytest.mark.parametrize("fmt", [pytest.param("csv", id="csv")])
def test_query_select_csv(
    built: Path, built_graph: Graph, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["query", str(built), STATE_QUERY, "-f", fmt]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    expected = sorted(str(row[0]) for row in built_graph.query(STATE_QUERY))
    assert rows[0] == ["s"]
    assert [row[0] for row in rows[1:]] == expected


@pytest.mark.parametrize("fmt", [pytest.param("json", id="json")])
def test_query_select_json(built: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["query", str(built), STATE_QUERY, "-f", fmt]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["head"]["vars"] == ["s"]
    assert {"s": "https://w3id.org/treatykg/id/state/ussr"} in result["results"]["bindings"]


@pytest.mark.parametrize(
    "query", [pytest.param("ASK { ?s a <https://w3id.org/treatykg/ontology#Treaty> }", id="ask")]
)
def test_query_ask(built: Path, capsys: pytest.CaptureFixture[str], query: str) -> None:
    assert main(["query", str(built), query, "-f", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["ask", "true"]


@pytest.mark.parametrize("suffix", [pytest.param(".rq", id="rq-file")])
def test_query_reads_rq_file(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"states{suffix}"
    path.write_text("# the states\n" + STATE_QUERY + "\n", encoding="utf-8")
    assert main(["query", str(built), str(path), "-f", "csv"]) == 0
    assert "https://w3id.org/treatykg/id/state/prc" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("query", "match"),
    [
        pytest.param("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "read-only", id="insert"),
        pytest.param("PREFIX e: <http://e/>\nDELETE WHERE { ?s ?p ?o }", "read-only", id="delete"),
        pytest.param(
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE", id="service"
        ),
        pytest.param("SELECT WHERE {", "malformed", id="malformed"),
    ],
)
def test_query_refused_exits_2(
    built: Path, capsys: pytest.CaptureFixture[str], query: str, match: str
) -> None:
    assert main(["query", str(built), query]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert match in captured.err and len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", [pytest.param("nowhere", id="missing-graph")])
def test_query_missing_graph_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main(["query", str(tmp_path / name), STATE_QUERY]) == 2
    assert name in capsys.readouterr().err


# ---------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        pytest.param("ttl", "turtle", id="ttl"),
        pytest.param("jsonld", "json-ld", id="jsonld"),
        pytest.param("nt", "nt", id="nt"),
        pytest.param("nq", "nquads", id="nq"),
        pytest.param("trig", "trig", id="trig"),
        pytest.param("xml", "xml", id="xml"),
    ],
)
def test_export_format_parses(
    built: Path, built_graph: Graph, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    target = tmp_path / f"graph.{fmt}"
    assert main(["export", str(built), "--format", fmt, "-o", str(target)]) == 0
    dataset = Dataset(default_union=True)
    if rdflib_format == "json-ld":
        dataset.parse(target, format=rdflib_format, context=jsonld_context())
    else:
        dataset.parse(target, format=rdflib_format)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, built_graph)


@pytest.mark.parametrize("fmt", [pytest.param("ttl", id="ttl"), pytest.param("nt", id="nt")])
def test_export_stdout_is_pure_rdf(built: Path, built_graph: Graph, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["export", str(built), "--format", fmt])
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout_bytes.decode("utf-8"), format={"ttl": "turtle", "nt": "nt"}[fmt])
    assert isomorphic(graph, built_graph)
    assert result.stderr == ""


@pytest.mark.parametrize("suffix", [pytest.param(".docx", id="unknown-suffix")])
def test_export_unknown_input_suffix_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"graph{suffix}"
    path.write_text("x", encoding="utf-8")
    assert main(["export", str(path)]) == 2
    assert str(path) in capsys.readouterr().err


@pytest.mark.parametrize("content", [pytest.param("this is not turtle", id="not-turtle")])
def test_export_unparsable_graph_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(content, encoding="utf-8")
    assert main(["export", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- validate


@pytest.mark.parametrize(
    "target", [pytest.param("folder", id="folder"), pytest.param("graph.ttl", id="turtle")]
)
def test_validate_built_graph_exits_0(built: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    path = built if target == "folder" else built / target
    assert main(["validate", str(path)]) == 0
    assert "Conforms: True" in capsys.readouterr().out


@pytest.mark.parametrize("quiet", [pytest.param(False, id="report"), pytest.param(True, id="quiet")])
def test_validate_nonconforming_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet: bool
) -> None:
    path = tmp_path / "person-signs-state.ttl"
    path.write_text(NONCONFORMING_TTL, encoding="utf-8")
    assert main(["validate", str(path), *(["-q"] if quiet else [])]) == 1
    out = capsys.readouterr().out
    assert ("Conforms: False" in out) is not quiet
    assert ("PersonShape-signs" in out) is not quiet


def test_validate_a_folder_prints_the_report_the_build_wrote(built: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A folder is checked in parts with pyshacl-turbo, as the build checks it, and gives its report."""
    assert main(["validate", str(built)]) == 0
    assert capsys.readouterr().out == (built / "shacl-report.txt").read_text(encoding="utf-8") + "\n"


def test_validate_a_folder_whose_graph_breaks_a_shape_exits_1(built: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / "graph.trig").write_text((built / "graph.trig").read_text(encoding="utf-8") + NONCONFORMING_TTL,
                                       encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "Conforms: False" in out
    assert "PersonShape-signs" in out


@pytest.mark.parametrize("quiet", [pytest.param(True, id="quiet")])
def test_validate_nonconforming_exits_1_through_cli(tmp_path: Path, quiet: bool) -> None:
    path = tmp_path / "person-signs-state.ttl"
    path.write_text(NONCONFORMING_TTL, encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", "-q", str(path)]).exit_code == 1


@pytest.mark.parametrize("name", [pytest.param("missing.ttl", id="missing-file")])
def test_validate_missing_graph_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["validate", str(tmp_path / name)]) == 2
    assert name in capsys.readouterr().err


# ---------------------------------------------------------------- errors for people (issue 7)

COMMAND_CALLS = [
    pytest.param(["build", str(ONE_SEED), "-o", "{tmp}/out"], "treatykg.build.build_graph", id="build"),
    pytest.param(["validate", "{tmp}/g.ttl"], "treatykg.export.load_graph", id="validate"),
    pytest.param(["query", "{tmp}/g.ttl", STATE_QUERY], "treatykg.export.load_graph", id="query"),
    pytest.param(["export", "{tmp}/g.ttl"], "treatykg.export.load_graph", id="export"),
    pytest.param(["evaluate", "{tmp}/g.ttl", "{tmp}/gold"], "treatykg.export.load_union", id="evaluate"),
    pytest.param(["conflicts", "{tmp}/g.ttl"], "treatykg.export.load_union", id="conflicts"),
]


@pytest.mark.parametrize(("argv", "function"), COMMAND_CALLS)
@pytest.mark.parametrize("debug", [pytest.param(False, id="plain"), pytest.param(True, id="debug")])
def test_main_unexpected_exception_in_any_command_exits_3(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    function: str,
    debug: bool,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom\nwith a second line")

    monkeypatch.setattr(function, broken)
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = main([*(["--debug"] if debug else []), *args])
    err = capsys.readouterr().err
    assert code == 3
    if debug:
        assert "Traceback" in err and "ZeroDivisionError" in err
    else:
        assert err.strip().splitlines() == [
            "internal error: ZeroDivisionError: boom with a second line "
            "(please report it; rerun with --debug "
            "for the traceback)"
        ]


@pytest.mark.parametrize(
    ("error", "code", "start"),
    [
        pytest.param(
            treatykg.ExtractionError("x.txt: extractor treaty.signing.v1 failed"),
            3,
            "internal error:",
            id="extraction-error",
        ),
        pytest.param(
            treatykg.InputError("x.txt: line one\nline two"),
            2,
            "error: x.txt: line one line two",
            id="multi-line-input-error",
        ),
        pytest.param(KeyboardInterrupt(), 2, "interrupted", id="ctrl-c"),
        pytest.param(MemoryError(), 3, "out of memory", id="memory"),
        pytest.param(
            RecursionError("maximum recursion depth exceeded"),
            3,
            "internal error: RecursionError",
            id="recursion",
        ),
    ],
)
def test_main_every_error_is_one_line_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    error: BaseException,
    code: int,
    start: str,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("treatykg.build.build_graph", broken)
    assert main(["build", str(ONE_SEED), "-o", str(tmp_path / "out")]) == code
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start) and "Traceback" not in lines[0]


@pytest.mark.parametrize("fmt", [pytest.param("nt", id="nt")])
def test_main_broken_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], built: Path, fmt: str
) -> None:
    def closed(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("treatykg.export.serialize", closed)
    assert main(["export", str(built), "--format", fmt]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("encoding", [pytest.param("latin-1", id="latin-1")])
def test_build_encoding_option_reads_legacy_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    text = ONE_SEED.read_text(encoding="utf-8")
    legacy = text.encode(encoding, errors="replace")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "legacy.txt").write_bytes(legacy + "\nSigné à Moscou.\n".encode(encoding))
    assert main(["build", str(tmp_path / "docs"), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert "--encoding cp1252" in capsys.readouterr().err
    assert (
        main(["build", str(tmp_path / "docs"), "-o", str(tmp_path / "out"), "-q", "--encoding", encoding])
        == 0
    )
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "legacy" in graph and "Ã" not in graph and "\ufffd" not in graph


@pytest.mark.parametrize("encoding", [pytest.param("klingon-8", id="unknown-encoding")])
def test_build_unknown_encoding_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    assert main(["build", str(ONE_SEED), "-o", str(tmp_path / "out"), "--encoding", encoding]) == 2
    err = capsys.readouterr().err
    assert "unknown text encoding 'klingon-8'" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b"%PDF-1.4\n", id="pdf"),
        pytest.param(b"PK\x03\x04docx", id="docx"),
    ],
)
def test_build_skips_hostile_document_others_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: bytes
) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copy(ONE_SEED, tmp_path / "docs" / ONE_SEED.name)
    (tmp_path / "docs" / "bad.txt").write_bytes(bad)
    assert main(["build", str(tmp_path / "docs"), "-o", str(tmp_path / "out"), "-q"]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"skipped: {tmp_path / 'docs' / 'bad.txt'}: ")
    assert (tmp_path / "out" / "graph.ttl").is_file()
