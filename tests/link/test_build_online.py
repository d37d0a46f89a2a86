"""`treatykg build --online`: a name the offline knowledge base lacks is linked from Wikidata's
answers (a local replay server), and a rebuild from the cache alone gives the same graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from treatykg.cli import main

TEXT = ("Treaty of Amity between the Republic of Xanadu and Japan. Signed at Tokyo, on 3 March 1960\n\n"
        "The Republic of Xanadu and Japan have agreed as follows.\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "amity.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_build_online_links_unknown_state_and_rebuilds_offline(replay_server, corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = ["build", str(corpus), "-o", str(tmp_path / "online"), "--online", "--wikidata-cache", str(cache),
             "--wikidata-url", replay_server.url, "-q", "--no-validate"]
    assert main(first) == 0
    online_graph = (tmp_path / "online" / "graph.ttl").read_bytes()
    assert "http://www.wikidata.org/entity/Q900000001" in _links(tmp_path / "online" / "graph.ttl")
    replay_server.stop()
    second = ["build", str(corpus), "-o", str(tmp_path / "offline"), "--online", "--cache-only", "--wikidata-cache",
              str(cache), "--wikidata-url", replay_server.url, "-q", "--no-validate"]
    assert main(second) == 0
    assert (tmp_path / "offline" / "graph.ttl").read_bytes() == online_graph


def test_build_without_online_leaves_unknown_state_unlinked(corpus: Path, tmp_path: Path) -> None:
    assert main(["build", str(corpus), "-o", str(tmp_path / "out"), "-q", "--no-validate"]) == 0
    assert "http://www.wikidata.org/entity/Q900000001" not in _links(tmp_path / "out" / "graph.ttl")


def _links(path: Path) -> set[str]:
    graph = Graph().parse(path)
    return {str(o) for o in graph.objects(None, OWL.sameAs) if isinstance(o, URIRef)}
