"""The treatykg benchmark suite: one command, Markdown tables on stdout and in benchmarks/results.md.

    python benchmarks/run.py                      # 100 and 1,000 documents, spaCy, 1M-triple queries
    python benchmarks/run.py --sizes 100 1000 10000
    python benchmarks/run.py --quick              # 100 documents, 100k-triple query graph, few repetitions
    python benchmarks/run.py --profile            # also cProfile the slowest stage of the largest size

What it measures, each part in a fresh subprocess so that peak memory (ru_maxrss) belongs to it:

1. Build stages per corpus size (corpora from benchmarks/generate.py, written once to
   benchmarks/corpus-<n>/): kb (load_kb), read (read_corpus), extract (extract_document per
   document: annotate + every extractor), resolve, rdf (to_dataset + union_graph), validate (pySHACL),
   export (serialize to ttl, jsonld, trig, nq; written to benchmarks/out-<n>/). Documents/s, MB/s,
   triples/s and the RSS high-water mark after each stage.
2. "+1 document": what adding one document costs. treatykg has no incremental build, so today it is a
   full rebuild; the table also shows the floor a per-document extraction cache would give (extract the
   new document, then resolve, rdf, validate and export everything again).
3. spaCy side by side, on the same texts: a blank English pipeline with an EntityRuler holding every
   label and alias of every knowledge-base entry; nlp.pipe over the documents.
4. Query latency: every queries/*.rq on a ~1M-triple graph (the largest built graph replicated with
   renamed treaty, person, document and evidence IRIs; states and places stay shared), with pyoxigraph
   (N-Quads in a Store, default graph as union) and with rdflib (the union as N-Triples in a Graph,
   through treatykg.run_query); p50 and p95 per query.
5. Parallel builds (--jobs): not implemented in treatykg yet; reported as such, with the Amdahl bound
   the measured extract share allows.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERY_DIR = ROOT / "queries"
# query-graph copies rename these IRIs (states, places, organisations and extractors stay shared) ...
RENAMED = re.compile(r"<(https://w3id\.org/treatykg/id/(?:treaty|person|doc|graph|evidence)/)")
# ... and the names of the renamed entities and documents, so that copy k is k more distinct instruments
NAMED_COPY = re.compile(r'^(<https://w3id\.org/treatykg/id/(?:treaty|person|doc)/r\d+-[^>]*> '
                        r'<(?:http://www\.w3\.org/2000/01/rdf-schema#label|http://www\.w3\.org/2004/02/skos/'
                        r'core#(?:prefLabel|altLabel)|http://purl\.org/dc/terms/title|'
                        r'https://w3id\.org/treatykg/ontology#docId)> "(?:[^"\\]|\\.)*)"')
EXPORT_FORMATS = (("ttl", "graph", "graph.ttl"), ("jsonld", "graph", "graph.jsonld"),
                  ("trig", "dataset", "graph.trig"), ("nq", "dataset", "graph.nq"))


# --------------------------------------------------------------------------------------------- helpers

def rss_mib() -> float:
    """The process's peak resident set so far, in MiB.

    On Linux VmHWM, which starts afresh at exec; ru_maxrss would carry the parent's peak from before
    the fork into the worker.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Stopwatch:
    """Times named stages and records the RSS high-water mark after each."""

    def __init__(self) -> None:
        self.stages: dict[str, dict] = {}

    def run(self, name: str, function, *args, **kwargs):
        start = time.perf_counter()
        value = function(*args, **kwargs)
        self.stages[name] = {"seconds": time.perf_counter() - start, "rss_mib": rss_mib()}
        return value


def corpus_bytes(documents) -> int:
    return sum(len(d.text.encode("utf-8")) for d in documents)


def _timeout(seconds: float):
    def handler(signum, frame):
        raise TimeoutError(f"over {seconds:g} s")
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def _cancel_timeout() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


# --------------------------------------------------------------------------------------------- build stages

def run_stages(corpus: Path, out: Path | None = None, *, profile: bool = False, plus_one: bool = True,
               annotate_pass: bool = True) -> dict:
    """Time each build stage on a corpus folder; returns a JSON-able dict."""
    from treatykg.annotate import annotate
    from treatykg.build import extract_document
    from treatykg.document import read_corpus
    from treatykg.export import serialize
    from treatykg.kb import load_kb
    from treatykg.rdf import to_dataset, union_graph
    from treatykg.resolve import resolve
    from treatykg.resources import ONTOLOGY, load_turtle
    from treatykg.validate import validate

    baseline = rss_mib()
    watch = Stopwatch()
    kb = watch.run("kb", load_kb)
    corpus_read = watch.run("read", read_corpus, [corpus])
    documents = list(corpus_read.documents)
    extractions = watch.run("extract", lambda: [extract_document(d, kb) for d in documents])
    facts = [f for e in extractions for f in e.facts]
    mentions = [m for e in extractions for m in e.mentions]
    resolution = watch.run("resolve", resolve, facts, mentions, kb)

    def rdf():
        dataset = to_dataset(resolution, documents, load_turtle(ONTOLOGY))
        return dataset, union_graph(dataset)

    dataset, graph = watch.run("rdf", rdf)
    validation = watch.run("validate", validate, graph)

    exports: dict[str, dict] = {}

    def export():
        for fmt, which, name in EXPORT_FORMATS:
            start = time.perf_counter()
            data = serialize(graph if which == "graph" else dataset, fmt)
            exports[fmt] = {"seconds": time.perf_counter() - start, "bytes": len(data)}
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(data)

    watch.run("export", export)
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    result = {
        "corpus": str(corpus), "documents": len(documents), "bytes": corpus_bytes(documents),
        "problems": len(corpus_read.problems), "facts": len(facts), "mentions": len(mentions),
        "entities": len(resolution.entities), "resolved_facts": len(resolution.facts),
        "triples": len(graph), "quads": quads, "conforms": validation.conforms,
        "violations": validation.report_text.count("Severity: sh:Violation"),
        "stages": watch.stages, "exports": exports, "baseline_rss_mib": baseline, "peak_rss_mib": rss_mib(),
    }

    if annotate_pass:  # informative: how much of extract is annotate (a second, separate pass)
        start = time.perf_counter()
        for document in documents:
            annotate(document, kb)
        result["annotate_only_seconds"] = time.perf_counter() - start

    if plus_one:
        new = _next_document(corpus, len(documents), kb)
        if new is not None:
            result["plus_one"] = _plus_one(new, extractions, documents, kb)

    if profile:  # every stage over 10% of the build, and extract (the stage that grows with the documents)
        steps = {
            "extract": lambda: [extract_document(d, kb) for d in documents],
            "resolve": lambda: resolve(facts, mentions, kb),
            "rdf": rdf,
            "validate": lambda: validate(graph),
            "export": export,
        }
        total = sum(stage["seconds"] for stage in watch.stages.values())
        chosen = [s for s in steps if s == "extract" or watch.stages[s]["seconds"] >= 0.10 * total]
        chosen.sort(key=lambda s: watch.stages[s]["seconds"], reverse=True)
        result["profiles"] = [profile_call(steps[s], s) for s in chosen]
    return result


def _next_document(corpus: Path, index: int, kb):
    """Document number `index` of the generated corpus this folder is a prefix of (None if not generated)."""
    stamp = corpus / ".generated.json"
    if not stamp.exists():
        return None
    sys.path.insert(0, str(HERE))
    import generate

    from treatykg.document import Document

    seed = json.loads(stamp.read_text())["seed"]
    _, text, meta = generate.document(index, seed, generate.Entities(kb))
    return Document(doc_id=meta["id"], text=text, path="", title=meta["title"], kind=meta["kind"],
                    languages=tuple(meta["languages"]), published=meta["published"])


def _plus_one(new, extractions, documents, kb) -> dict:
    """Add one document with every other document's extraction cached: extract it, then redo the rest."""
    from treatykg.build import extract_document
    from treatykg.export import serialize
    from treatykg.rdf import to_dataset, union_graph
    from treatykg.resolve import resolve
    from treatykg.resources import ONTOLOGY, load_turtle
    from treatykg.validate import validate

    watch = Stopwatch()
    extra = watch.run("extract", extract_document, new, kb)
    allx = [*extractions, extra]
    resolution = watch.run("resolve", resolve, [f for e in allx for f in e.facts],
                           [m for e in allx for m in e.mentions], kb)
    dataset = watch.run("rdf_dataset", to_dataset, resolution, [*documents, new], load_turtle(ONTOLOGY))
    graph = watch.run("rdf_union", union_graph, dataset)
    watch.run("validate", validate, graph)
    watch.run("export", lambda: [serialize(graph if which == "graph" else dataset, fmt)
                                 for fmt, which, _ in EXPORT_FORMATS])
    return {name: stage["seconds"] for name, stage in watch.stages.items()}


def profile_call(function, label: str, top: int = 25) -> dict:
    """cProfile one call; the top functions by own time and by cumulative time."""
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    function()
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, nc, tt, ct, _) in stats.stats.items():
        short = filename.replace(str(ROOT) + "/", "")
        short = re.sub(r".*/site-packages/", "", short)
        rows.append({"function": f"{short}:{line}({name})", "calls": nc, "tottime": tt, "cumtime": ct})
    by_own = sorted(rows, key=lambda r: r["tottime"], reverse=True)[:top]
    by_cum = sorted(rows, key=lambda r: r["cumtime"], reverse=True)[:top]
    return {"stage": label, "wall_seconds": wall, "by_tottime": by_own, "by_cumtime": by_cum}


# --------------------------------------------------------------------------------------------- spaCy

def run_spacy(corpus: Path) -> dict:
    """A blank English pipeline plus an EntityRuler with every KB label and alias; nlp.pipe over the texts."""
    import spacy

    from treatykg.document import read_corpus
    from treatykg.kb import load_kb

    documents = read_corpus([corpus]).documents
    texts = [d.text for d in documents]
    kb = load_kb()
    start = time.perf_counter()
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    patterns = []
    for entry in kb.entries.values():
        names = {*entry.labels.values(), *(alias.name for alias in entry.aliases)}
        patterns += [{"label": entry.kind, "pattern": name, "id": entry.id} for name in sorted(names)]
    ruler.add_patterns(patterns)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    entities = 0
    for doc in nlp.pipe(texts, batch_size=64):
        entities += len(doc.ents)
    pipe = time.perf_counter() - start
    return {"spacy_version": spacy.__version__, "documents": len(texts), "bytes": corpus_bytes(documents),
            "patterns": len(patterns), "setup_seconds": setup, "pipe_seconds": pipe, "entities": entities,
            "peak_rss_mib": rss_mib()}


# --------------------------------------------------------------------------------------------- query graph

def build_query_graph(source_nq: Path, target: int, dest: Path) -> dict:
    """Replicate a built graph's N-Quads until its union holds at least `target` triples.

    Copy k renames the treaty, person, document, graph and evidence IRIs (…/treaty/r3-…) and suffixes
    their labels, titles and document ids (" (r3)"), so each copy adds distinct instruments, signatories,
    documents and evidence; states, places, organisations, extractors and the ontology stay shared, as
    they would in a larger real corpus. Writes dest.nq (quads, a named graph per document) and dest.nt
    (the union).
    """
    lines = [line for line in source_nq.read_text(encoding="utf-8").splitlines() if line.strip()]
    base_union = {_triple_part(line) for line in lines}
    shared = {t for t in base_union if not RENAMED.search(t)}
    per_copy = len(base_union) - len(shared)
    copies = max(1, math.ceil((target - len(shared)) / per_copy))
    seen: set[int] = set()
    quads = triples = 0
    with open(f"{dest}.nq", "w", encoding="utf-8") as nq, open(f"{dest}.nt", "w", encoding="utf-8") as nt:
        for copy in range(copies):
            for line in lines:
                renamed = line
                if copy:
                    renamed = RENAMED.sub(rf"<\g<1>r{copy}-", line)
                    renamed = NAMED_COPY.sub(rf'\g<1> (r{copy})"', renamed)
                nq.write(renamed + "\n")
                quads += 1
                triple = _triple_part(renamed)
                key = hash(triple)
                if key not in seen:
                    seen.add(key)
                    nt.write(triple + " .\n")
                    triples += 1
    return {"source": str(source_nq), "copies": copies, "quads": quads, "triples": triples,
            "nq": f"{dest}.nq", "nt": f"{dest}.nt"}


_QUAD_END = re.compile(r"\s+<[^>]*>\s*\.\s*$")


def _triple_part(line: str) -> str:
    """An N-Quads line without its graph name and final dot (a default-graph line keeps its triple)."""
    stripped = line.rstrip()
    match = _QUAD_END.search(stripped)
    if match:
        # the last <…> before the dot is the graph name only when four terms are present
        head = stripped[:match.start()]
        if _term_count(head) == 3:
            return head
    return stripped[:-1].rstrip()


def _term_count(text: str) -> int:
    count, i, n = 0, 0, len(text)
    while i < n:
        while i < n and text[i] == " ":
            i += 1
        if i >= n:
            break
        count += 1
        if text[i] == "<":
            i = text.index(">", i) + 1
        elif text[i] == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            while i < n and text[i] != " ":
                if text[i] == "<":
                    i = text.index(">", i) + 1
                else:
                    i += 1
        else:
            while i < n and text[i] != " ":
                i += 1
    return count


# --------------------------------------------------------------------------------------------- queries

def run_queries(engine: str, graph_file: Path, queries: list[Path], *, repetitions: int, budget: float,
                timeout: float) -> dict:
    """Load the graph into one engine and time every query; returns load time, memory and samples."""
    start = time.perf_counter()
    if engine.startswith("pyoxigraph"):
        import pyoxigraph

        union = engine == "pyoxigraph-union"  # N-Quads, a named graph per document, queried as their union
        store = pyoxigraph.Store()
        store.bulk_load(path=str(graph_file),
                        format=pyoxigraph.RdfFormat.N_QUADS if union else pyoxigraph.RdfFormat.N_TRIPLES)
        size = len(store)

        def execute(text: str) -> int:
            result = store.query(text, use_default_graph_as_union=union)
            if isinstance(result, pyoxigraph.QueryBoolean):
                return 1
            return sum(1 for _ in result)
        version = pyoxigraph.__version__
    else:
        import rdflib
        from rdflib import Graph
        from rdflib.plugins.sparql import prepareQuery

        graph = Graph()
        graph.parse(str(graph_file), format="nt")
        size = len(graph)

        def execute(text: str) -> int:  # rdflib itself, without treatykg.run_query's row and time limits
            result = graph.query(prepareQuery(text))
            if result.type == "ASK":
                return 1
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return len(result.graph)
            return sum(1 for _ in result)
        version = rdflib.__version__
    load = time.perf_counter() - start
    execute("ASK { ?s ?p ?o }")  # the engine's first-query setup is not a query's cost
    results: dict[str, dict] = {}
    for path in queries:
        text = path.read_text(encoding="utf-8")
        samples: list[float] = []
        rows = None
        error = None
        began = time.perf_counter()
        while len(samples) < repetitions and (not samples or time.perf_counter() - began < budget):
            try:
                _timeout(timeout)
                t0 = time.perf_counter()
                rows = execute(text)
                samples.append(time.perf_counter() - t0)
            except TimeoutError as caught:
                error = f"timeout ({caught})"
                break
            except Exception as caught:  # report the failure in the table, keep measuring the others
                error = f"{type(caught).__name__}: {str(caught).splitlines()[0][:80] if str(caught) else ''}"
                break
            finally:
                _cancel_timeout()
        results[path.stem] = {"samples": samples, "rows": rows, "error": error}
    return {"engine": engine, "version": version, "file": str(graph_file), "triples_or_quads": size,
            "load_seconds": load, "peak_rss_mib": rss_mib(), "queries": results}


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile by linear interpolation (q=0.5 is the median)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --------------------------------------------------------------------------------------------- workers

def _worker(name: str, args: dict, timeout: float | None) -> dict:
    """Run one measurement in a fresh interpreter (peak memory is then its own)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, json.dumps(args)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:g} s", "wall_seconds": time.perf_counter() - start}
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-6:])
        return {"error": f"worker {name} failed (exit {done.returncode}): {tail}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - start
    return result


def _worker_main(name: str, args: dict) -> None:
    if name == "stages":
        result = run_stages(Path(args["corpus"]), Path(args["out"]) if args.get("out") else None,
                            profile=args.get("profile", False), plus_one=args.get("plus_one", True),
                            annotate_pass=args.get("annotate_pass", True))
    elif name == "spacy":
        result = run_spacy(Path(args["corpus"]))
    elif name == "querygraph":
        result = build_query_graph(Path(args["source"]), args["target"], Path(args["dest"]))
    elif name == "queries":
        result = run_queries(args["engine"], Path(args["file"]), [Path(q) for q in args["queries"]],
                             repetitions=args["repetitions"], budget=args["budget"], timeout=args["timeout"])
    else:
        raise SystemExit(f"unknown worker {name}")
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------- report

STAGES = ("kb", "read", "extract", "resolve", "rdf", "validate", "export")


def full_build_seconds(stages: dict) -> float:
    return sum(stages["stages"][s]["seconds"] for s in STAGES)


def table(header: list[str], rows: list[list], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds >= 100:
        return f"{seconds:.0f}"
    if seconds >= 10:
        return f"{seconds:.1f}"
    return f"{seconds:.2f}" if seconds >= 0.1 else f"{seconds:.3f}"


def fmt_rate(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else (f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}")


def report(env: dict, builds: dict[int, dict], spacy_runs: dict[int, dict], query_graph: dict | None,
           queries: dict[str, dict], jobs: int | None) -> str:
    sections = [f"# treatykg benchmarks\n\n{env['when']} · commit {env['commit']} · Python {env['python']} · "
                f"{env['cpus']} CPUs ({env['cpu']}) · rdflib {env['rdflib']} · pySHACL {env['pyshacl']} · "
                f"pyoxigraph {env['pyoxigraph']} · spaCy {env.get('spacy', 'not installed')}\n\ntreatykg "
                f"from `{env.get('treatykg_path', '?')}` (code hash {env.get('treatykg_hash', '?')}) · "
                f"load average before {env.get('load_before', '?')}, after {env.get('load_after', '?')} "
                "(other work on the machine inflates the timings)\n\nCorpora: `benchmarks/generate.py` "
                f"(seed {env['seed']}); each measurement in a fresh subprocess; memory is the subprocess's "
                "peak RSS (VmHWM)."]

    ok = {n: b for n, b in builds.items() if "error" not in b}
    rows = []
    for n, b in builds.items():
        if "error" in b:
            rows.append([n, b["error"], "", "", "", "", "", "", ""])
            continue
        rows.append([f"{n:,}", f"{b['bytes'] / 1e6:.2f}", f"{b['bytes'] / b['documents'] / 1e3:.1f}",
                     f"{b['facts']:,}", f"{b['entities']:,}", f"{b['triples']:,}", f"{b['quads']:,}",
                     "yes" if b["conforms"] else f"no ({b['violations']} violations)",
                     f"{b['peak_rss_mib']:,.0f}"])
    sections.append("## Corpora and graphs\n\n" + table(
        ["documents", "MB", "KB/doc", "facts", "entities", "triples (union)", "quads", "SHACL conforms",
         "peak RSS MiB"], rows))

    for n, b in ok.items():
        mb = b["bytes"] / 1e6
        rows = []
        for stage in STAGES:
            s = b["stages"][stage]
            triples = fmt_rate(b["triples"] / s["seconds"]) if stage in ("rdf", "validate", "export") else ""
            rows.append([stage, fmt_s(s["seconds"]), f"{s['seconds'] / full_build_seconds(b) * 100:.1f}%",
                         fmt_rate(b["documents"] / s["seconds"]), fmt_rate(mb / s["seconds"]), triples,
                         f"{s['rss_mib']:,.0f}"])
        total = full_build_seconds(b)
        rows.append(["**full build**", f"**{fmt_s(total)}**", "100%", fmt_rate(b["documents"] / total),
                     fmt_rate(mb / total), fmt_rate(b["triples"] / total), f"{b['peak_rss_mib']:,.0f}"])
        notes = ["export by format: " + ", ".join(f"{f} {fmt_s(e['seconds'])} s ({e['bytes'] / 1e6:.1f} MB)"
                                                   for f, e in b["exports"].items())]
        if "annotate_only_seconds" in b:
            share = b["annotate_only_seconds"] / b["stages"]["extract"]["seconds"] * 100
            notes.append(f"annotate alone (a separate pass): {fmt_s(b['annotate_only_seconds'])} s, "
                         f"{share:.0f}% of extract; the extractors take the rest")
        sections.append(f"## Build stages, {n:,} documents ({mb:.2f} MB)\n\n" + table(
            ["stage", "seconds", "share", "docs/s", "MB/s", "triples/s", "RSS after, MiB"], rows) +
            "\n\n" + "\n".join(f"- {note}" for note in notes))

    if len(ok) > 1:
        sizes = sorted(ok)
        rows = []
        for stage in (*STAGES, "full build"):
            per_doc = [(full_build_seconds(ok[n]) if stage == "full build"
                        else ok[n]["stages"][stage]["seconds"]) / ok[n]["documents"] for n in sizes]
            rows.append([stage, *(fmt_ms(p) for p in per_doc), f"{per_doc[-1] / per_doc[0]:.2f}×"])
        sections.append("## Scaling: milliseconds per document\n\nLinear cost means the last column stays "
                        "near 1×.\n\n" + table(["stage", *(f"{n:,} docs" for n in sizes),
                                                f"{sizes[-1]:,} vs {sizes[0]:,}"], rows))

    rows = []
    for n, b in ok.items():
        p = b.get("plus_one")
        if not p:
            continue
        full = full_build_seconds(b)
        cached = sum(p.values())
        rows.append([f"{n:,} → {n + 1:,}", fmt_s(full), f"{fmt_s(full)} (100%)",
                     f"{fmt_s(cached)} ({cached / full * 100:.0f}%)",
                     f"extract {fmt_s(p['extract'])}, resolve {fmt_s(p['resolve'])}, rdf "
                     f"{fmt_s(p['rdf_dataset'] + p['rdf_union'])}, validate {fmt_s(p['validate'])}, export "
                     f"{fmt_s(p['export'])}"])
    if rows:
        sections.append("## +1 document rebuild\n\ntreatykg has no incremental build: adding a document "
                        "rebuilds everything. The cached column is the floor with a per-document extraction "
                        "cache (not in the library) while resolve, rdf, validate and export still run on the "
                        "whole graph. Target: < 5% of a full build.\n\n" + table(
                            ["documents", "full build s", "+1 today", "+1 with extraction cache",
                             "where the cached +1 goes (s)"], rows, "lrrrl"))

    rows = []
    for n, s in spacy_runs.items():
        if "error" in s:
            rows.append([f"{n:,}", s["error"], "", "", "", "", "", ""])
            continue
        b = ok.get(n)
        spacy_total = s["setup_seconds"] + s["pipe_seconds"]
        ratio = f"{full_build_seconds(b) / spacy_total:.1f}×" if b else "–"
        extract_ratio = f"{b['stages']['extract']['seconds'] / s['pipe_seconds']:.1f}×" if b else "–"
        rows.append([f"{n:,}", f"{s['patterns']:,}", fmt_s(s["setup_seconds"]), fmt_s(s["pipe_seconds"]),
                     fmt_rate(s["bytes"] / 1e6 / s["pipe_seconds"]), f"{s['entities']:,}",
                     fmt_s(full_build_seconds(b)) if b else "–", ratio, extract_ratio,
                     f"{s['peak_rss_mib']:,.0f}"])
    if rows:
        sections.append("## spaCy EntityRuler side by side (same texts)\n\nspaCy: `spacy.blank(\"en\")` + "
                        "`entity_ruler` with every label and alias of every KB entry as a phrase pattern; "
                        "setup = building the ruler, pipe = `nlp.pipe(texts, batch_size=64)`. Ratio = "
                        "treatykg full build (kb … export) / spaCy (setup + pipe). Target: ≤ 2× at 1,000 "
                        "documents.\n\n" +
                        table(["documents", "patterns", "spaCy setup s", "spaCy pipe s", "spaCy MB/s",
                               "spaCy entities", "treatykg full build s", "ratio", "extract / pipe",
                               "spaCy peak MiB"], rows))

    if query_graph:
        qg = query_graph
        header = (f"## Query latency on {qg['triples']:,} triples\n\n"
                  f"The {qg['source_size']:,}-document graph replicated {qg['copies']}× with renamed "
                  f"treaty, person, document and evidence IRIs ({qg['quads']:,} quads). pyoxigraph: "
                  "the union as N-Triples in an in-memory `Store`; pyoxigraph-union: the N-Quads (a named "
                  "graph per document) queried with the default graph as the union; rdflib: the union as "
                  "N-Triples in a `Graph`, through rdflib's `prepareQuery` + `Graph.query` (not "
                  "treatykg.run_query, which adds row and time limits). Each query after one warm-up "
                  "`ASK`; up to "
                  f"{qg['repetitions']} runs (oxigraph) / {qg['rdflib_repetitions']} (rdflib) within a "
                  f"{qg['budget']:g} s budget per query; a run over {qg['timeout']:g} s is stopped. "
                  "Target: p50 < 50 ms.\n\n")
        engines = [e for e in ("pyoxigraph", "pyoxigraph-union", "rdflib") if e in queries]
        load_rows = [[e, queries[e].get("version", ""), "N-Quads" if e.endswith("union") else "N-Triples",
                      f"{queries[e].get('triples_or_quads', 0):,}", fmt_s(queries[e].get("load_seconds")),
                      f"{queries[e].get('peak_rss_mib', 0):,.0f}", queries[e].get("error", "")]
                     for e in engines]
        rows = []
        names = sorted({q for e in engines for q in queries[e].get("queries", {})})

        def samples(engine: str, name: str) -> list[float]:
            return (queries.get(engine, {}).get("queries", {}).get(name) or {}).get("samples") or []

        for name in names:
            row = [name]
            counts = {}
            for e in engines:
                r = queries[e].get("queries", {}).get(name)
                if not r or not r["samples"]:
                    shown = r["error"] if r and r["error"] else "–"
                    if shown.startswith("timeout"):
                        shown = f"> {query_graph['timeout']:g} s"
                    row += [shown, ""]
                    continue
                row += [fmt_ms(percentile(r["samples"], 0.5)), fmt_ms(percentile(r["samples"], 0.95))]
                counts[e] = r["rows"]
            row.append(" / ".join(str(len(samples(e, name))) for e in engines))
            ox, rd = samples("pyoxigraph", name), samples("rdflib", name)
            row.append(f"{percentile(rd, .5) / percentile(ox, .5):,.0f}×" if ox and rd else "–")
            differ = {"pyoxigraph", "rdflib"} <= set(counts) and counts["pyoxigraph"] != counts["rdflib"]
            shown = " / ".join(str(counts.get(e, "–")) for e in engines)
            row.append(shown + (" **differ**" if differ else ""))
            rows.append(row)
        cols = ["query"]
        for e in engines:
            cols += [f"{e} p50 ms", "p95 ms"]
        p50s = [percentile(samples("pyoxigraph", n), .5) for n in names if samples("pyoxigraph", n)]
        summary = ""
        if p50s:
            under = sum(1 for p in p50s if p < 0.05)
            summary = (f"\n\npyoxigraph: {under} of {len(p50s)} queries under 50 ms p50 (slowest p50 "
                       f"{fmt_ms(max(p50s))} ms).")
            rd50 = [percentile(samples("rdflib", n), .5) for n in names if samples("rdflib", n)]
            if rd50:
                summary += (f" rdflib: {sum(1 for p in rd50 if p < 0.05)} of {len(rd50)} "
                            f"(slowest p50 {fmt_ms(max(rd50))} ms).")
        load_header = ["engine", "version", "input", "triples/quads", "load s", "peak RSS MiB", "note"]
        sections.append(header + table(load_header, load_rows, "lllrrrl") + "\n\n" +
                        table(cols + ["runs", "rdflib / oxigraph p50", "rows"], rows) + summary +
                        "\n\nRows: `pyoxigraph-union` counts a triple once per named graph holding it (bag "
                        "semantics), so queries without DISTINCT may return more rows there.")

    extract_share = None
    if ok:
        largest = ok[max(ok)]
        extract_share = largest["stages"]["extract"]["seconds"] / full_build_seconds(largest)
    bound = 1 / ((1 - extract_share) + extract_share / 2) if extract_share is not None else None
    sections.append("## Parallel build (`--jobs`)\n\n" + table(
        ["jobs", "full build", "speedup"],
        [["1", fmt_s(full_build_seconds(ok[max(ok)])) if ok else "–", "1×"],
         [str(jobs or 2), "not implemented: treatykg has no parallel build", "–"]], "lll") +
        (f"\n\nIf only extract ran in parallel ({extract_share * 100:.0f}% of the {max(ok):,}-document "
         f"build), Amdahl's law caps 2 cores at {bound:.2f}× (target ≥ 1.6×)." if bound else ""))

    profiles = [(n, prof) for n, b in ok.items() for prof in b.get("profiles", ())]
    for n, prof in profiles:
        rows = [[r["function"], f"{r['calls']:,}", fmt_s(r["tottime"]), fmt_s(r["cumtime"])]
                for r in prof["by_tottime"][:15]]
        cum = [[r["function"], f"{r['calls']:,}", fmt_s(r["tottime"]), fmt_s(r["cumtime"])]
               for r in prof["by_cumtime"][:15]]
        columns = ["function", "calls", "own s", "cum s"]
        sections.append(f"## Profile: {prof['stage']}, {n:,} documents (cProfile, "
                        f"{fmt_s(prof['wall_seconds'])} s under the profiler)\n\nBy own time:\n\n" +
                        table(columns, rows, "lrrr") + "\n\nBy cumulative time:\n\n" +
                        table(columns, cum, "lrrr"))
    return "\n\n".join(sections) + "\n"


def environment(seed: int) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    env = {"when": time.strftime("%Y-%m-%d %H:%M"), "python": platform.python_version(),
           "cpus": os.cpu_count(), "cpu": _cpu_model(), "seed": seed}
    for package in ("rdflib", "pyshacl", "pyoxigraph", "spacy"):  # versions without importing (memory)
        try:
            env[package] = version(package)
        except PackageNotFoundError:
            env[package] = None if package == "spacy" else "?"
    if env["spacy"] is None:
        del env["spacy"]
    env["load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    env.update(treatykg_source())
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True,
                               cwd=ROOT)
        env["commit"] = commit.stdout.strip() + (" (src modified)" if dirty.stdout.strip() else "")
    except OSError:
        env["commit"] = "unknown"
    return env


def treatykg_source() -> dict:
    """Which treatykg the workers import (PYTHONPATH can point at a frozen copy) and a hash of its code."""
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("treatykg")
    package = Path(spec.origin).parent
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return {"treatykg_path": str(package), "treatykg_hash": digest.hexdigest()[:12]}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# --------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes (default 100 1000; --quick: 100)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, a 100k-triple query graph, few runs")
    parser.add_argument("--jobs", type=int,
                        help="parallel build workers (not implemented in treatykg: reported as such)")
    parser.add_argument("--seed", type=int, default=None, help="generator seed")
    parser.add_argument("--query-triples", type=int,
                        help="query graph size (default 1,000,000; --quick 100,000)")
    parser.add_argument("--no-spacy", action="store_true")
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the big stages of one size (--profile-size; default: the largest "
                             "size up to 1000)")
    parser.add_argument("--profile-size", type=int)
    parser.add_argument("--extras-max", type=int, default=1000,
                        help="largest size that also gets the +1-document and annotate-only measurements")
    parser.add_argument("--stage-timeout", type=float, default=3600, help="seconds per size before giving up")
    parser.add_argument("--query-timeout", type=float, default=60, help="seconds one query run may take")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    import generate

    seed = args.seed if args.seed is not None else generate.DEFAULT_SEED
    sizes = args.sizes or ([100] if args.quick else [100, 1000])
    if args.profile_size is None:
        args.profile_size = max([n for n in sizes if n <= 1000] or sizes)
    target = args.query_triples or (100_000 if args.quick else 1_000_000)
    env = environment(seed)
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    builds: dict[int, dict] = {}
    spacy_runs: dict[int, dict] = {}
    have_spacy = "spacy" in env and not args.no_spacy
    for n in sizes:
        corpus = generate.generate(n, seed=seed)
        say(f"[{n} documents] build stages ...")
        builds[n] = _worker("stages", {"corpus": str(corpus), "out": str(HERE / f"out-{n}"),
                                       "profile": args.profile and n == args.profile_size,
                                       "plus_one": n <= args.extras_max,
                                       "annotate_pass": n <= args.extras_max},
                            args.stage_timeout)
        if "error" not in builds[n]:
            say(f"[{n} documents] full build {full_build_seconds(builds[n]):.1f} s, "
                f"peak {builds[n]['peak_rss_mib']:.0f} MiB")
        else:
            say(f"[{n} documents] {builds[n]['error']}")
        if have_spacy:
            say(f"[{n} documents] spaCy EntityRuler ...")
            spacy_runs[n] = _worker("spacy", {"corpus": str(corpus)}, args.stage_timeout)

    query_graph = None
    queries: dict[str, dict] = {}
    built = [n for n in sizes if "error" not in builds[n] and (HERE / f"out-{n}" / "graph.nq").exists()]
    if not args.no_queries and built:
        source_size = max(built)
        dest = HERE / f"querygraph-{target}"
        say(f"query graph: {target:,} triples from the {source_size}-document graph ...")
        query_graph = _worker("querygraph", {"source": str(HERE / f"out-{source_size}" / "graph.nq"),
                                             "target": target, "dest": str(dest)}, None)
        files = [str(q) for q in sorted(QUERY_DIR.glob("*.rq"))]
        query_graph.update(source_size=source_size, repetitions=5 if args.quick else 20,
                           rdflib_repetitions=3 if args.quick else 5, budget=30.0 if args.quick else 60.0,
                           timeout=args.query_timeout)
        for engine, file, reps in (("pyoxigraph", query_graph["nt"], query_graph["repetitions"]),
                                   ("pyoxigraph-union", query_graph["nq"], query_graph["repetitions"]),
                                   ("rdflib", query_graph["nt"], query_graph["rdflib_repetitions"])):
            say(f"queries with {engine} ...")
            queries[engine] = _worker("queries", {"engine": engine, "file": file, "queries": files,
                                                  "repetitions": reps, "budget": query_graph["budget"],
                                                  "timeout": args.query_timeout}, None)

    env["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(env, builds, spacy_runs, query_graph, queries, args.jobs)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    (args.output.with_suffix(".json")).write_text(json.dumps(
        {"env": env, "builds": builds, "spacy": spacy_runs, "query_graph": query_graph, "queries": queries},
        indent=1), encoding="utf-8")
    say(f"wrote {args.output} and {args.output.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--worker":
        _worker_main(sys.argv[2], json.loads(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
