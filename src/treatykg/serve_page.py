"""The query page `treatykg serve` answers at /query: a form that posts to /sparql.

Plain JavaScript sends the query as ``application/x-www-form-urlencoded`` with
``Accept: application/sparql-results+json, text/turtle;q=0.9`` and shows a SELECT answer as a
table, an ASK answer as true or false, a CONSTRUCT or DESCRIBE answer as Turtle, and an error as
the server's message. Values are inserted as text (``textContent``), never as HTML. Without
JavaScript the form still posts and the browser shows the JSON.
"""

from __future__ import annotations

import html

from .report import STYLE

EXAMPLE = """PREFIX tkg:  <https://w3id.org/treatykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?person ?instrument ?date
WHERE {
  ?p tkg:signs ?t ; rdfs:label ?person .
  ?t rdfs:label ?instrument .
  OPTIONAL { ?t tkg:signingDate ?date }
}
ORDER BY ?date ?person
"""

SCRIPT = """(function(){
var form=document.getElementById('form'),box=document.getElementById('query');
var status=document.getElementById('status'),out=document.getElementById('result');
function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined){e.textContent=text;}
if(cls){e.className=cls;}return e;}
function table(data){var t=el('table'),head=el('tr'),body=el('tbody'),thead=el('thead');
data.head.vars.forEach(function(v){head.appendChild(el('th',v));});thead.appendChild(head);t.appendChild(thead);
data.results.bindings.forEach(function(b){var tr=el('tr');data.head.vars.forEach(function(v){var x=b[v];
var td=el('td',x?x.value:'');if(x&&x['xml:lang']){td.appendChild(el('span',' @'+x['xml:lang'],'kind'));}
else if(x&&x.datatype){td.appendChild(el('span',' '+x.datatype.replace(/^.*[#\\/]/,''),'kind'));}
tr.appendChild(td);});body.appendChild(tr);});t.appendChild(body);return t;}
function show(response,text,started){var type=response.headers.get('Content-Type')||'';
out.textContent='';status.className=response.ok?'muted':'error';
if(!response.ok){status.textContent='Error '+response.status+': '+text;return;}
if(type.indexOf('json')<0){status.textContent='A graph ('+type.split(';')[0]+')';
out.appendChild(el('pre',text));return;}
var data=JSON.parse(text);if('boolean' in data){status.textContent='ASK: '+data.boolean;return;}
var n=data.results.bindings.length;
status.textContent=n+(n===1?' row':' rows')+' in '+(Date.now()-started)+' ms';out.appendChild(table(data));}
form.addEventListener('submit',function(event){event.preventDefault();var started=Date.now();
status.className='muted';status.textContent='Running…';out.textContent='';
fetch('sparql',{method:'POST',body:new URLSearchParams({query:box.value}),
headers:{'Accept':'application/sparql-results+json, text/turtle;q=0.9'}})
.then(function(r){return r.text().then(function(text){show(r,text,started);});})
.catch(function(e){status.className='error';status.textContent='The request failed: '+e;});});
box.addEventListener('keydown',function(e){if(e.key==='Enter'&&(e.ctrlKey||e.metaKey)){form.requestSubmit();}});
})();"""


def query_page(*, timeout: float | None, max_rows: int) -> bytes:
    """The query page as UTF-8 HTML, stating the server's limits."""
    limit = "no time limit" if timeout is None else f"a time limit of {timeout:g} s"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>treatykg SPARQL query</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}
textarea{{width:100%;font:14px/1.4 ui-monospace,monospace}}.error{{color:#a00;white-space:pre-wrap}}</style>
</head>
<body>
<p class="muted"><a href="./">treatykg report</a> · SPARQL endpoint: <code>/sparql</code></p>
<h1>SPARQL query</h1>
<form id="form" method="post" action="sparql">
<p><textarea id="query" name="query" rows="14" spellcheck="false"
aria-label="SPARQL query">{html.escape(EXAMPLE)}</textarea></p>
<p><button id="run" type="submit">Run query</button>
<span class="muted">Ctrl+Enter runs it. Read-only: updates and SERVICE are refused; {limit} and at most
{max_rows} rows.</span></p>
</form>
<p id="status" class="muted" role="status"></p>
<div id="result"></div>
<script>{SCRIPT}</script>
</body></html>
""".encode()


__all__ = ["EXAMPLE", "query_page"]
