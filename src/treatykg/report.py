"""A static HTML report of a built graph: a folder that opens from disk (file://), no server.

``index.html`` holds the build summary (entities per class, facts per relation), the documents,
the SHACL results, the conflicting claims and the two pictures (`pictures`), with a search box
that filters the entities by label and alternative label (plain JavaScript over a JSON index
embedded in the page). ``entities/<slug>.html`` shows one entity: class, labels, Wikidata link,
its facts as subject and as object and, for each fact, every evidence record: the document, the
character offsets of the quote in that document (the quote is exactly
``document[charStart:charEnd]``) and the quote with the fact's names marked (``<mark>``: the
subject's or object's surface form where it occurs, else the whole quote).

Everything taken from the graph is escaped with `html.escape`; the pages load no external CSS,
JavaScript, fonts or images.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from .conflicts import find_conflicts
from .evaluate import unquote_doc
from .export import load_union
from .highlight import mark_quote, surface_names
from .namespace import ID, TKG
from .network import actor_network
from .pictures import network_png, timeline_png

NON_ENTITY = {TKG.Document, TKG.Evidence, TKG.Extractor}
META = {
    TKG.linkConfidence,
    TKG.linkReason,
    TKG.docId,
    TKG.documentKind,
    TKG.charStart,
    TKG.charEnd,
    TKG.quote,
    TKG.modality,
}
STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}th{background:#f3f3f3}
pre,.quote{white-space:pre-wrap;background:#f8f8f8;padding:.5em;
border-left:3px solid #bbb;margin:.3em 0}mark{background:#ffe066}img{max-width:100%;border:1px solid #ddd}
.muted{color:#777;font-size:.9em}#q{font-size:1em;padding:.3em;width:24em}ul.entities{columns:3}
.kind{color:#777;font-size:.85em}"""
SEARCH_JS = """(function(){var index=JSON.parse(document.getElementById('entity-index').textContent);
function fold(s){return s.normalize('NFKD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase();}
var items=document.querySelectorAll('#entities li');var box=document.getElementById('q');
var count=document.getElementById('count');
box.addEventListener('input',function(){var q=fold(box.value.trim());var shown=0;
for(var i=0;i<index.length;i++){var e=index[i];var hit=!q||[e.label].concat(e.alt).some(function(n){
return fold(n).indexOf(q)>=0;});items[i].hidden=!hit;if(hit){shown++;}}
count.textContent=shown+' of '+index.length;});})();"""


@dataclass(frozen=True, slots=True)
class Report:
    """What `write_report` wrote: the folder, its index page and how many entity pages."""

    folder: Path
    index: Path
    entity_pages: int


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One evidence record of a fact, as the report shows it."""

    document: str
    start: int
    end: int
    quote: str
    extractor: str
    modality: str


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_slug(iri: str) -> str:
    """The file name stem of an entity's page: its IRI path after ``id/``, made file-safe.

    >>> entity_slug("https://w3id.org/treatykg/id/person/zhou")
    'person-zhou'
    """
    tail = iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri.split("://", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip("-.")[:120] or "entity"


def _entities(graph: Graph) -> dict[URIRef, str]:
    """Every described entity and its class's local name."""
    found: dict[URIRef, str] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if isinstance(node, URIRef) and str(cls).startswith(str(TKG._NS)) and cls not in NON_ENTITY:
            found[node] = _local(cls)
    return found


def _evidence(graph: Graph) -> dict[tuple, list[EvidenceRecord]]:
    index: dict[tuple, list[EvidenceRecord]] = defaultdict(list)
    for record in graph.subjects(RDF.type, TKG.Evidence):
        key = (
            graph.value(record, RDF.subject),
            graph.value(record, RDF.predicate),
            graph.value(record, RDF.object),
        )
        extractor = graph.value(record, PROV.wasAttributedTo)
        index[key].append(
            EvidenceRecord(
                unquote_doc(str(graph.value(record, PROV.wasDerivedFrom))),
                int(graph.value(record, TKG.charStart) or 0),
                int(graph.value(record, TKG.charEnd) or 0),
                str(graph.value(record, TKG.quote) or ""),
                str(graph.value(extractor, RDFS.label) or _local(extractor)) if extractor else "",
                str(graph.value(record, TKG.modality) or ""),
            )
        )
    return {
        key: sorted(set(records), key=lambda r: (r.document, r.start, r.end))
        for key, records in index.items()
    }


def summary(graph: Graph) -> dict[str, dict[str, int]]:
    """Entities per class and facts (distinct triples) per relation, like `BuildResult.summary`."""
    entities = Counter(_entities(graph).values())
    stated = {p for p in graph.objects(None, RDF.predicate) if isinstance(p, URIRef)}
    facts = Counter(_local(p) for _, p, _ in graph if p in stated)
    return {"entities": dict(sorted(entities.items())), "facts": dict(sorted(facts.items()))}


def _page(title: str, body: str, *, root: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<title>{_e(title)}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{STYLE}</style></head>\n<body>\n"
        f'<p class="muted"><a href="{root}index.html">treatykg report</a></p>\n{body}\n</body></html>\n'
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A table; the cells are HTML already (escape them before)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


class _Site:
    """The state the pages share: the graph, its entities, their page names and the evidence."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.entities = _entities(graph)
        self.slugs: dict[URIRef, str] = {}
        for node in sorted(self.entities, key=str):
            slug = entity_slug(str(node))
            while slug in self.slugs.values():
                slug += "-"
            self.slugs[node] = slug
        self.evidence = _evidence(graph)

    def label(self, node: object) -> str:
        return str(self.graph.value(node, RDFS.label) or _local(node))

    def link(self, node: object, *, prefix: str = "") -> str:
        if isinstance(node, URIRef) and node in self.slugs:
            return f'<a href="{prefix}{self.slugs[node]}.html">{_e(self.label(node))}</a>'
        if isinstance(node, Literal):
            return _e(node) + (
                f' <span class="kind">{_e(_local(node.datatype))}</span>' if node.datatype else ""
            )
        return _e(node)

    def evidence_html(self, triple: tuple) -> str:
        records = self.evidence.get(triple, [])
        if not records:
            return '<span class="muted">no evidence record</span>'
        names = surface_names(self.graph, triple[0]) + surface_names(self.graph, triple[2])
        items = []
        for r in records:
            where = f"{r.document} [{r.start}:{r.end}]"
            items.append(
                f'<div><span class="muted">{_e(where)} · {_e(r.extractor)} · {_e(r.modality)}</span>'
                f'<div class="quote">{mark_quote(r.quote, names, start=r.start, document=r.document)}</div>'
                "</div>"
            )
        return "\n".join(items)


def _entity_page(site: _Site, node: URIRef) -> str:
    graph = site.graph
    label = site.label(node)
    alts = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {label})
    rows = [
        ["class", _e(site.entities[node])],
        ["IRI", f"<code>{_e(node)}</code>"],
        ["other names", _e("; ".join(alts)) or '<span class="muted">none</span>'],
    ]
    for same in sorted(graph.objects(node, OWL.sameAs), key=str):
        qid = _local(same)
        rows.append(
            [
                "Wikidata",
                f'<a href="https://www.wikidata.org/wiki/{_e(qid)}">{_e(qid)}</a> '
                f'<span class="muted">confidence {_e(graph.value(node, TKG.linkConfidence))}: '
                f"{_e(graph.value(node, TKG.linkReason))}</span>",
            ]
        )
    body = [f"<h1>{_e(label)}</h1>", _table(["", ""], rows)]
    outgoing = sorted(
        (
            (p, o)
            for p, o in graph.predicate_objects(node)
            if str(p).startswith(str(TKG._NS)) and p not in META
        ),
        key=lambda po: (str(po[0]), str(po[1])),
    )
    incoming = sorted(
        (
            (s, p)
            for s, p in graph.subject_predicates(node)
            if str(p).startswith(str(TKG._NS)) and p not in META
        ),
        key=lambda sp: (str(sp[1]), str(sp[0])),
    )
    body.append(f"<h2>Facts about {_e(label)} ({len(outgoing)})</h2>")
    body.append(
        _table(
            ["relation", "object", "evidence"],
            [[_e(_local(p)), site.link(o), site.evidence_html((node, p, o))] for p, o in outgoing],
        )
    )
    body.append(f"<h2>Facts naming {_e(label)} ({len(incoming)})</h2>")
    body.append(
        _table(
            ["subject", "relation", "evidence"],
            [[site.link(s), _e(_local(p)), site.evidence_html((s, p, node))] for s, p in incoming],
        )
    )
    return _page(label, "\n".join(body), root="../")


def _search_section(site: _Site) -> str:
    order = sorted(site.entities, key=lambda n: (site.label(n).casefold(), str(n)))
    index = [
        {
            "label": site.label(n),
            "alt": sorted(str(a) for a in site.graph.objects(n, SKOS.altLabel)),
            "kind": site.entities[n],
            "page": f"entities/{site.slugs[n]}.html",
        }
        for n in order
    ]
    items = "\n".join(
        f'<li><a href="entities/{_e(site.slugs[n])}.html">{_e(site.label(n))}</a> '
        f'<span class="kind">{_e(site.entities[n])}</span></li>'
        for n in order
    )
    # JSON inside <script>: escape "<" so that no "</script>" or "<!--" in a label can end the block.
    data = (
        json.dumps(index, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return (
        f'<h2>Entities</h2>\n<p><input id="q" type="search" placeholder="Filter by name or other name" '
        f'aria-label="Filter entities"> '
        f'<span id="count" class="muted">{len(order)} of {len(order)}</span></p>\n'
        f'<ul id="entities" class="entities">\n{items}\n</ul>\n'
        f'<script type="application/json" id="entity-index">{data}</script>\n<script>{SEARCH_JS}</script>'
    )


def _conflicts_section(graph: Graph, site: _Site) -> str:
    conflicts = find_conflicts(graph)
    if not conflicts:
        return "<h2>Conflicting claims</h2>\n<p>The sources do not disagree.</p>"
    parts = [f"<h2>Conflicting claims ({len(conflicts)})</h2>"]
    for conflict in conflicts:
        node = URIRef(conflict.instrument)
        parts.append(f"<h3>{site.link(node, prefix='entities/')}: {_e(conflict.about)}</h3>")
        parts.append(
            _table(
                ["value", "claimed as", "document", "quote"],
                [
                    [
                        _e(c.value or "no date"),
                        _e(c.via),
                        _e(c.document),
                        f'<div class="quote">{_e(c.quote)}</div>',
                    ]
                    # sorted here: find_conflicts lists the claims in graph iteration order
                    for c in sorted(conflict.claims, key=lambda c: (c.value, c.via, c.document, c.quote))
                ],
            )
        )
    return "\n".join(parts)


def _index_page(site: _Site, *, shacl_text: str | None, pictures: list[tuple[str, str]]) -> str:
    graph = site.graph
    counts = summary(graph)
    documents = sorted(graph.subjects(RDF.type, TKG.Document), key=lambda d: str(graph.value(d, TKG.docId)))
    doc_rows = [
        [
            _e(graph.value(d, TKG.docId)),
            _e(graph.value(d, DCTERMS.title) or ""),
            _e(graph.value(d, TKG.documentKind) or ""),
            _e(", ".join(sorted(str(x) for x in graph.objects(d, DCTERMS.language)))),
        ]
        for d in documents
    ]
    body = [
        f"<h1>treatykg report</h1>\n<p>{len(documents)} documents, {len(site.entities)} entities, "
        f"{sum(counts['facts'].values())} facts.</p>",
        "<h2>Summary</h2>",
        _table(["class", "entities"], [[_e(k), _e(v)] for k, v in counts["entities"].items()]),
        _table(["relation", "facts"], [[_e(k), _e(v)] for k, v in counts["facts"].items()]),
        "<h2>Documents</h2>",
        _table(["id", "title", "kind", "languages"], doc_rows),
        "<h2>SHACL validation</h2>",
        f"<pre>{_e(shacl_text)}</pre>"
        if shacl_text
        else '<p class="muted">No SHACL report was found '
        "(shacl-report.txt is written by <code>treatykg build</code>).</p>",
        _conflicts_section(graph, site),
    ]
    for src, alt in pictures:
        body.append(f'<h2>{_e(alt)}</h2>\n<p><img src="{_e(src)}" alt="{_e(alt)}"></p>')
    body.append(_search_section(site))
    return _page("treatykg report", "\n".join(body))


def write_report(graph: Graph, folder: str | Path, *, shacl_text: str | None = None) -> Report:
    """Write the HTML report of a graph (index.html, entities/*.html, network.png, timeline.png).

    Args:
        graph: A built treatykg graph (the union graph).
        folder: The folder to write into (created if needed; the report's files already there are
            replaced, and entity pages of entities no longer in the graph removed).
        shacl_text: The SHACL report text to show, if any.

    Returns:
        What was written.
    """
    target = Path(folder)
    (target / "entities").mkdir(parents=True, exist_ok=True)
    net = actor_network(graph)
    network_png(net, target / "network.png")
    timeline_png(graph, target / "timeline.png", net=net)
    site = _Site(graph)
    pages = {target / "entities" / f"{site.slugs[node]}.html": node for node in site.entities}
    for stale in set((target / "entities").glob("*.html")) - set(pages):
        stale.unlink()  # a page of an entity an earlier report had
    for page, node in pages.items():
        page.write_text(_entity_page(site, node), encoding="utf-8")
    pictures = [("network.png", "Actors and instruments"), ("timeline.png", "Timeline of the instruments")]
    index = target / "index.html"
    index.write_text(_index_page(site, shacl_text=shacl_text, pictures=pictures), encoding="utf-8")
    return Report(target, index, len(site.entities))


def report_build(out: str | Path, folder: str | Path | None = None) -> Report:
    """The report of a build output folder (its graph and shacl-report.txt), by default into OUT/report.

    Args:
        out: A `treatykg build` output folder, or an RDF file (then its folder's SHACL report is used).
        folder: Where to write the report; by default OUT/report.

    Returns:
        What was written.

    Raises:
        InputError: When OUT holds no readable graph.
    """
    source = Path(out)
    shacl = source / "shacl-report.txt" if source.is_dir() else source.parent / "shacl-report.txt"
    text = shacl.read_text(encoding="utf-8") if shacl.is_file() else None
    default = source / "report" if source.is_dir() else source.parent / "report"
    return write_report(load_union(source), Path(folder) if folder else default, shacl_text=text)
