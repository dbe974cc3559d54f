// The cold-start build plugins (scripts/build-plugins.mjs) must not change behaviour: yaml through its ESM
// build behaves like its Node build where they differ (binary tags, warnings), and a builtin imported through
// the require facade is the very same object. Plus a guard on what a clean static-gate run loads.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
// @ts-expect-error plain ESM build script without types
import { builtinsViaRequire, yamlEsm } from '../../scripts/build-plugins.mjs';
import { ROOT } from '../helpers/runner.js';

const BANNER = "import { createRequire as __cgCreateRequire } from 'node:module';\nconst require = __cgCreateRequire(import.meta.url);";

async function bundleAndRun(source: string): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-plugins-'));
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, source);
  const outfile = join(dir, 'out.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: BANNER },
    plugins: [builtinsViaRequire, yamlEsm],
    nodePaths: [join(ROOT, 'node_modules')],
    minify: true,
    logLevel: 'silent',
  });
  const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

// plain JavaScript, so the same text runs bundled (ESM build + plugins) and against yaml's own Node build
const YAML_PROBE = `
import { parseAllDocuments, parseDocument, stringify, LineCounter, isScalar } from 'yaml';
const warnings = [];
process.emitWarning = (w) => { warnings.push(String(w && w.message ? w.message : w)); };
const bin = parseDocument('%YAML 1.1\\n---\\nb: !!binary aGVsbG8gd29ybGQ=\\nbad: !!binary "not base64 ###"\\n');
const js = bin.toJS();
const map = parseDocument('? [a, b]\\n: 1\\n').toJS();
const lc = new LineCounter();
const docs = parseAllDocuments('a: 1\\n---\\nb: [x, {c: d}]\\n', { lineCounter: lc });
const node = docs[1].contents.items[0].value.items[0];
console.log(JSON.stringify({
  binIsBuffer: Buffer.isBuffer(js.b),
  bin: Buffer.from(js.b).toString('utf8'),
  bad: Buffer.isBuffer(js.bad) ? 'buffer:' + js.bad.toString('hex') : String(js.bad),
  binErrors: bin.errors.map((e) => e.code),
  map,
  warnings,
  pos: isScalar(node) ? lc.linePos(node.range[0]) : null,
  out: stringify({ b: Buffer.from('hi'), s: 'x: y' }),
}));
`;

describe('yaml through its ESM build (scripts/build-plugins.mjs yamlEsm)', () => {
  it('gives what the Node build gives: Buffer for !!binary, process.emitWarning, positions, stringify', async () => {
    const bundled = (await bundleAndRun(YAML_PROBE)) as { binIsBuffer: boolean; warnings: string[] };
    const dir = mkdtempSync(join(tmpdir(), 'cg-plugins-ref-'));
    const f = join(dir, 'ref.cjs');
    const yamlCjs = createRequire(join(ROOT, 'package.json')).resolve('yaml');
    writeFileSync(f, YAML_PROBE.replace(/^import (.*) from 'yaml';$/m, `const $1 = require(${JSON.stringify(yamlCjs)});`));
    const r = spawnSync(process.execPath, [f], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(bundled).toEqual(JSON.parse(r.stdout));
    expect(bundled.binIsBuffer).toBe(true);
    expect(bundled.warnings.length).toBeGreaterThan(0);
  });
});

describe('builtins through require (scripts/build-plugins.mjs builtinsViaRequire)', () => {
  it('named, default and namespace imports are the very objects require() returns', async () => {
    const out = await bundleAndRun(`
import { readFileSync, promises } from 'node:fs';
import fsDefault from 'fs';
import * as path from 'node:path';
import EventEmitter, { once } from 'node:events';
import { EOL } from 'node:os';
import { createRequire } from 'node:module';
const r = createRequire(import.meta.url);
const ns = path;
console.log(JSON.stringify({
  readFileSync: readFileSync === r('fs').readFileSync,
  promises: promises === r('fs').promises,
  fsDefault: fsDefault === r('fs'),
  join: path.join === r('path').join && path.join('a', 'b') === r('path').join('a', 'b'),
  nsKeys: Object.keys(r('path')).every((k) => k in ns),
  events: EventEmitter === r('events') && once === r('events').once,
  eol: EOL === r('os').EOL,
}));
`);
    expect(out).toEqual({ readFileSync: true, promises: true, fsDefault: true, join: true, nsKeys: true, events: true, eol: true });
  });
});

const distPinLint = join(ROOT, 'dist', 'pin-lint.js');
describe.runIf(existsSync(distPinLint))('a clean static-gate run loads only what it needs (dist/pin-lint.js)', () => {
  it('no node:crypto, no fs/promises, no ajv, few ESM modules; the record and SARIF are written', () => {
    const repo = mkdtempSync(join(tmpdir(), 'cg-coldload-'));
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${'a'.repeat(40)} # v4\n`);
    const hook = join(repo, 'hook.cjs');
    const list = join(repo, 'loaded.json');
    writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
    const r = spawnSync(process.execPath, ['--require', hook, distPinLint], {
      cwd: repo,
      env: { PATH: process.env.PATH, RUNNER_TEMP: repo, GITHUB_WORKSPACE: repo, GITHUB_OUTPUT: join(repo, 'out') },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(repo, 'out'), 'utf8')).toMatch(/^outcome<<ghadelimiter_[0-9a-f-]{36}\npass\n/);
    const rec = JSON.parse(readFileSync(join(repo, 'chaingate', 'pipeline_run.ndjson'), 'utf8').trim());
    expect(rec.record_id).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(join(repo, 'chaingate', 'pin-lint.sarif'))).toBe(true);
    const loaded: string[] = JSON.parse(readFileSync(list, 'utf8'));
    expect(loaded).not.toContain('NativeModule crypto');
    expect(loaded).not.toContain('NativeModule internal/fs/promises');
    const chunks = readFileSync(distPinLint, 'utf8').match(/from"\.\/chunks\/[^"]+"/g) ?? [];
    expect(chunks.length, 'static imports of dist/pin-lint.js').toBeLessThanOrEqual(3);
    expect(readFileSync(distPinLint, 'utf8')).not.toMatch(/ajv/i);
  });
});
