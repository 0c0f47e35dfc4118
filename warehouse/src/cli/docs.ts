import type { ModelDoc } from '../build/docs.ts';

/** `scrm docs` as text: one block per model, marts first (what analysts query), then the layers under them. Pure. */
export function formatModelDocs(docs: ModelDoc[]): string {
  const order = ['marts', 'intermediate', 'staging'];
  const sorted = [...docs].sort((a, b) => order.indexOf(a.layer) - order.indexOf(b.layer) || a.name.localeCompare(b.name));
  return sorted.map(formatOne).join('\n');
}

function formatOne(d: ModelDoc): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const kind = d.materialized === 'incremental' ? `incremental by ${d.unique_key!.join(' + ')}` : d.materialized;
  const state = !d.built ? 'not built yet'
    : [d.rows === null ? null : `${n(d.rows)} rows`,
       d.freshness ? `built ${d.freshness.finished_at.slice(0, 19).replace('T', ' ')} UTC as of ${d.freshness.as_of} (build ${d.freshness.build_id}${d.freshness.mode && d.materialized !== 'view' ? `, ${d.freshness.mode}` : ''})` : null,
      ].filter(Boolean).join(', ');
  const lines = [`${d.name}  (${kind}; ${state})`, ...wrap(d.description, 96).map((l) => `  ${l}`)];
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
  lines.push(`  depends on: ${list(d.lineage.depends_on)}`, `  used by:    ${list(d.lineage.used_by)}`, `  raw sources: ${list(d.lineage.raw_sources)}`);
  if (d.columns.length) {
    const w1 = Math.max(...d.columns.map((c) => c.name.length));
    const w2 = Math.max(...d.columns.map((c) => (c.type ?? '?').length));
    lines.push('  columns:');
    for (const c of d.columns) lines.push(`    ${c.name.padEnd(w1)}  ${(c.type ?? '?').padEnd(w2)}  ${c.doc ?? ''}`.trimEnd());
  }
  if (d.tests.length) lines.push(`  tests: ${d.tests.join(', ')}`);
  return lines.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
