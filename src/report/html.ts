import { escapeHtml } from '../text/safe.js';

const css = `body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ccc}h3{font-size:1.05em;margin-top:1.2em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}.note{color:#555;font-size:.9em}
nav{font-size:.9em;margin:.5em 0}nav a{margin-right:1em}figure.chart{margin:1em 0}figure.chart svg{max-width:100%;height:auto;display:block}
figure.chart figcaption{font-size:.9em;color:#444}ul.facts li{margin:.2em 0}td.text,th.text{text-align:left}`;

/** A fragment of HTML that is already safe: table() and other helpers insert it unescaped. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Marks trusted, already-escaped HTML. */
export function raw(html: string): Html {
  return new Html(html);
}

/** A link with escaped href and text (hrefs are relative paths built from validated codes). */
export function link(href: string, text: unknown): Html {
  return new Html(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`);
}

/** A one-line note, e.g. why a section is missing. */
export function note(text: unknown): string {
  return `<p class="note">${escapeHtml(text)}</p>`;
}

/** Numbers (and suppressed '*', '≈ 65', 'n/a') align right; words align left. */
const numeric = /^(?:[-+≈<> ]*[\d,]+(?:\.\d+)?%?(?: \(.*\))?|\*|n\/a|)$/;

function td(value: unknown): string {
  if (value instanceof Html) return `<td class="text">${value.html}</td>`;
  const text = String(value ?? '');
  return numeric.test(text) ? `<td>${escapeHtml(text)}</td>` : `<td class="text">${escapeHtml(text)}</td>`;
}

function th(value: unknown): string {
  return `<th>${value instanceof Html ? value.html : escapeHtml(value)}</th>`;
}

/** A complete, self-contained HTML page (no external requests). `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${css}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** An HTML table from a header and rows of cells (escaped here, except Html cells). */
export function table(header: unknown[], rows: unknown[][]): string {
  const trs = rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${header.map(th).join('')}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** A section: heading, then content (already HTML). */
export function section(id: string, heading: string, content: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}
