// Generates the input/output tables of docs/<gate>.md from actions/<gate>/action.yml (and docs/action.md
// from the root action.yml), between the markers below. `npm run docs` rewrites them; a test fails when
// a page is out of date.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const START = '<!-- generated from action.yml: do not edit by hand (npm run docs) -->';
export const END = '<!-- end of generated section -->';

const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();

export function renderActionDocs(yamlText, usesPath) {
  const meta = parse(yamlText);
  const lines = [START, '', usesPath ? `Use: \`uses: <owner>/chaingate/${usesPath}@<40-hex-sha>\`` : "Use: `uses: <owner>/chaingate@<40-hex-sha>`", '', '### Inputs', '', '| input | required | default | description |', '|---|---|---|---|'];
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const def = spec.default === undefined || spec.default === '' ? '' : `\`${cell(spec.default)}\``;
    lines.push(`| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${def} | ${cell(spec.description)} |`);
  }
  lines.push('', '### Outputs', '', '| output | description |', '|---|---|');
  for (const [name, spec] of Object.entries(meta.outputs ?? {})) lines.push(`| \`${name}\` | ${cell(spec.description)} |`);
  lines.push('', END);
  return lines.join('\n');
}

export function targets(root) {
  const out = [];
  const dir = join(root, 'actions');
  for (const d of readdirSync(dir).sort()) {
    const a = join(dir, d, 'action.yml');
    if (existsSync(a)) out.push({ action: a, doc: join(root, 'docs', `${d}.md`), uses: `actions/${d}` });
  }
  out.push({ action: join(root, 'action.yml'), doc: join(root, 'docs', 'action.md'), uses: '' });
  return out;
}

/** The page with its generated section replaced (or appended when the markers are missing). */
export function updatePage(page, block) {
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  if (a >= 0 && b > a) return page.slice(0, a) + block + page.slice(b + END.length);
  return `${page.replace(/\s*$/, '')}\n\n## Inputs and outputs\n\n${block}\n`;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const root = new URL('..', import.meta.url).pathname;
  for (const t of targets(root)) {
    const block = renderActionDocs(readFileSync(t.action, 'utf8'), t.uses.replace(/^$/, '').replace(/\/$/, '') || '');
    const page = existsSync(t.doc) ? readFileSync(t.doc, 'utf8') : `# ${t.uses || 'chaingate (root action)'}\n`;
    const next = updatePage(page, block);
    if (next !== page) writeFileSync(t.doc, next);
  }
}
