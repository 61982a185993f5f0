// A small API reference page: it fetches /openapi.json from this server and lists each operation
// with its permission-free summary, parameters and schemas. No CDN, no framework: it works offline
// and under a strict Content-Security-Policy (script from 'self' only).

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MedSpa API reference</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
details { margin: .4rem 0; border: 1px solid #ddd; border-radius: 4px; padding: .3rem .6rem; }
summary { cursor: pointer; }
code.m { display: inline-block; min-width: 4rem; font-weight: bold; }
pre { background: #f6f6f6; padding: .5rem; overflow: auto; max-height: 24rem; }
</style>
</head>
<body>
<h1 id="title">MedSpa API reference</h1>
<p id="description"></p>
<p><a href="/openapi.json">openapi.json</a></p>
<div id="operations">Loading&hellip;</div>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

export const DOCS_SCRIPT = `(async function () {
  const root = document.getElementById('operations');
  const text = (tag, value) => { const el = document.createElement(tag); el.textContent = value; return el; };
  try {
    const spec = await (await fetch('/openapi.json')).json();
    document.getElementById('title').textContent = spec.info.title + ' ' + spec.info.version;
    document.getElementById('description').textContent = spec.info.description || '';
    const byTag = {};
    for (const [path, item] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(item)) {
        const tag = (op.tags && op.tags[0]) || 'other';
        (byTag[tag] = byTag[tag] || []).push({ path, method, op });
      }
    }
    root.textContent = '';
    for (const tag of Object.keys(byTag).sort()) {
      root.appendChild(text('h2', tag));
      for (const { path, method, op } of byTag[tag]) {
        const details = document.createElement('details');
        const summary = document.createElement('summary');
        summary.appendChild(text('code', method.toUpperCase())).className = 'm';
        summary.appendChild(text('code', ' ' + path + ' '));
        summary.appendChild(text('span', op.summary || ''));
        details.appendChild(summary);
        details.appendChild(text('p', 'operationId: ' + op.operationId + (op.security ? ' \\u2014 bearer token required' : ' \\u2014 public')));
        if (op.parameters && op.parameters.length) {
          details.appendChild(text('h4', 'Parameters'));
          details.appendChild(text('pre', JSON.stringify(op.parameters, null, 2)));
        }
        if (op.requestBody) {
          details.appendChild(text('h4', 'Request body'));
          details.appendChild(text('pre', JSON.stringify(op.requestBody.content, null, 2)));
        }
        details.appendChild(text('h4', 'Responses'));
        details.appendChild(text('pre', JSON.stringify(op.responses, null, 2)));
        root.appendChild(details);
      }
    }
  } catch (e) {
    root.textContent = 'Could not load /openapi.json: ' + e;
  }
})();
`;
