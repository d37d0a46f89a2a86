"""The names and defaults the library and its command line share, in a module that imports
nothing, so that the command line states them (its choices, the defaults in --help) without
loading what builds a graph: rdflib, pySHACL and the extractors take 0.6 s to import."""

from __future__ import annotations

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a document's size limit
DEFAULT_ENCODING = "utf-8"  # of documents without a byte-order mark
ENGINES = ("local", "dask")  # where extraction runs
FORMATS = {"ttl": "turtle", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt",
           "nq": "nquads", "trig": "trig", "xml": "xml", "rdfxml": "xml"}  # export's names, as rdflib's
