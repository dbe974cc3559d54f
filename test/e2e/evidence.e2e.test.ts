// evidence-bundle and evidence-verify as the runner runs them (composite steps, dist bundles, INPUT_* env),
// signing keyless against a mock Sigstore + token endpoint in another process, and the auditor's CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, NODE, runComposite, runnerEnv, runnerFiles, type RunnerFiles } from '../helpers/runner.js';
import { startSigstoreProcess, type SigstoreProcess } from '../helpers/sigstore-process.js';
import { REQUEST_TOKEN } from '../helpers/oidc.js';
import { githubIdentity } from '../helpers/sigstore.js';
import { DIGEST, SARIF, makeRecord } from '../helpers/evidence.js';
import { appendRecord } from '../../src/core/record.js';
import { zip, type Entry } from '../helpers/archive.js';
import { COMMON_INPUTS } from '../../src/core/gate.js';
import bundleGate from '../../src/gates/evidence-bundle/index.js';
import verifyGate from '../../src/gates/evidence-verify/index.js';

const IDENTITY = githubIdentity('acme/widget', '.github/workflows/release.yml', 'refs/heads/main');
let ss: SigstoreProcess;
let rootFile: string;

beforeAll(async () => {
  for (const d of ['evidence-bundle', 'evidence-verify', 'cli']) if (!existsSync(join(ROOT, `dist/${d}.js`))) throw new Error(`dist/${d}.js missing: run npm run build`);
  ss = await startSigstoreProcess(IDENTITY);
  rootFile = join(mkdtempSync(join(tmpdir(), 'cg-root-')), 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(ss.trustedRoot));
}, 60_000);

afterAll(async () => {
  await ss?.stop();
});

/** A release job after its gates ran: their records and SARIF under $RUNNER_TEMP/chaingate. */
function releaseJob(): RunnerFiles {
  const f = runnerFiles();
  const env = runnerEnv(f);
  mkdirSync(join(f.runnerTemp, 'chaingate'), { recursive: true });
  appendRecord(f.records, makeRecord({ gate: 'pin-lint' }, env));
  appendRecord(f.records, makeRecord({ gate: 'verify-cosign', digest: DIGEST, at: 1 }, env));
  writeFileSync(join(f.runnerTemp, 'chaingate', 'pin-lint.sarif'), SARIF);
  return f;
}

function dirEntries(dir: string, prefix = ''): Entry[] {
  const out: Entry[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...dirEntries(dir, rel));
    else out.push({ name: rel, data: readFileSync(join(dir, rel)) });
  }
  return out;
}

function cli(args: string[], cwd: string) {
  return spawnSync(NODE, [join(ROOT, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd }, timeout: 60_000 });
}

describe('release job → promotion job → auditor', () => {
  let bundleDir: string;

  it('evidence-bundle (composite) signs keyless with the job token and leaves the upload step to upload-artifact', () => {
    const f = releaseJob();
    const r = runComposite('evidence-bundle', { 'subject-digest': DIGEST, 'subject-name': 'ghcr.io/acme/widget', 'fulcio-url': ss.url, 'rekor-url': ss.url, timeout: '20' }, f, {
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: ss.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', reasons: 'signed', signed: 'true', 'artifact-name': 'chaingate-evidence', path: join(f.runnerTemp, 'chaingate-evidence') });
    expect(r.outputs['manifest-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    bundleDir = r.outputs.path;
    expect(readdirSync(bundleDir).sort()).toEqual(['manifest.json', 'records', 'reports', 'statement.intoto.json', 'statement.sigstore.json']);
    const upload = r.steps.find((s) => s.id === 'upload');
    expect(upload?.uses).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/);
    expect(r.recordProblems).toEqual([]);
    expect(r.records.map((x) => x.gate)).toEqual(['pin-lint', 'verify-cosign', 'evidence-bundle']);
    expect(r.records[2]).toMatchObject({ outcome: 'pass', details: { signed: true, signing: 'keyless' }, subject: { digest: DIGEST } });
    expect(r.summary).toContain('| verify-cosign | pass |');
  });

  it('evidence-verify (composite) passes on the downloaded directory and writes a summary table gate by gate', () => {
    const f = runnerFiles();
    const r = runComposite('evidence-verify', { bundle: bundleDir, 'subject-digest': DIGEST, 'required-gates': 'pin-lint\nverify-cosign', 'certificate-identity': IDENTITY, 'trusted-root': rootFile }, f);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', 'subject-digest': DIGEST, 'signer-identity': IDENTITY, gates: 'pin-lint=pass,verify-cosign=pass', files: '2' });
    expect(r.summary).toContain('| gate | required | records | outcome | reasons |');
    expect(r.summary).toContain('| pin-lint | yes | 1 | ✅ pass | ok |');
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ gate: 'evidence-verify', outcome: 'pass', subject: { digest: DIGEST } });
    expect(r.recordProblems).toEqual([]);
  });

  it('an auditor verifies a downloaded zip with npx chaingate evidence-verify', () => {
    const d = mkdtempSync(join(tmpdir(), 'cg-audit-'));
    writeFileSync(join(d, 'chaingate-evidence.zip'), zip(dirEntries(bundleDir)));
    const ok = cli(['evidence-verify', 'chaingate-evidence.zip', '--certificate-identity', IDENTITY, '--trusted-root', rootFile, '--subject-digest', DIGEST, '--required-gates', 'pin-lint,verify-cosign'], d);
    expect(ok.stdout).toContain('evidence-verify: PASS');
    expect(ok.status).toBe(0);
    const json = cli(['evidence-verify', 'chaingate-evidence.zip', '--certificate-identity', IDENTITY, '--trusted-root', rootFile, '--format', 'json'], d);
    expect(JSON.parse(json.stdout)).toMatchObject({ gate: 'evidence-verify', outcome: 'pass', outputs: { 'signer-identity': IDENTITY } });

    // a tampered copy fails with exit code 1 and names the file
    const entries = dirEntries(bundleDir).map((e) => (e.name === 'reports/pin-lint.sarif' ? { ...e, data: Buffer.concat([Buffer.from(e.data as Buffer), Buffer.from(' ')]) } : e));
    writeFileSync(join(d, 'tampered.zip'), zip(entries));
    const bad = cli(['evidence-verify', 'tampered.zip', '--certificate-identity', IDENTITY, '--trusted-root', rootFile], d);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('tampered.zip/reports/pin-lint.sarif:1:1: critical digest-mismatch');

    // the wrong identity fails
    const who = cli(['evidence-verify', 'chaingate-evidence.zip', '--certificate-identity', githubIdentity('acme/other'), '--trusted-root', rootFile], d);
    expect(who.status).toBe(1);
    expect(who.stdout).toContain('identity-mismatch');

    // an unanchored identity regexp is a usage error (exit 2), never "anything goes"
    const loose = cli(['evidence-verify', 'chaingate-evidence.zip', '--certificate-identity-regexp', 'acme/widget', '--trusted-root', rootFile], d);
    expect(loose.status).toBe(2);
    expect(loose.stdout).toContain('anchored');
  });
});

describe('action.yml and the gate agree', () => {
  it.each([
    ['evidence-bundle', bundleGate, ['upload', 'retention-days'], ['artifact-id', 'findings', 'sarif-file']],
    ['evidence-verify', verifyGate, [], []],
  ] as const)('%s: every gate input is an action input and every action output is produced', (name, gate, actionOnly, outputsOnlyInAction) => {
    const meta = parseYaml(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8'));
    const specs = [...gate.inputs, ...COMMON_INPUTS.filter((c) => (gate.rules.length ? true : c.name !== 'sarif-file'))];
    expect(Object.keys(meta.inputs).sort()).toEqual([...specs.map((s) => s.name), ...actionOnly].sort());
    const step = meta.runs.steps.find((s: any) => s.id === 'gate');
    for (const s of specs) expect(step.env[`INPUT_${s.name.toUpperCase()}`]).toBe(`\${{ inputs.${s.name} }}`);
    expect(step.run).toBe(`node "$GITHUB_ACTION_PATH/../../dist/${name}.js"`);
    const outs = Object.keys(meta.outputs);
    for (const o of gate.outputs) expect(outs).toContain(o.name);
    for (const s of meta.runs.steps) if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    void outputsOnlyInAction;
    // the docs list every input and output exactly as action.yml declares them, and every reason code
    const doc = readFileSync(join(ROOT, 'docs', `${name}.md`), 'utf8');
    for (const [k, v] of Object.entries<any>(meta.inputs)) expect(doc).toContain(`| \`${k}\` | ${v.required ? '**required**' : v.default === '' ? '' : `\`${v.default}\``} | ${String(v.description).replace(/\|/g, '\\|')} |`);
    for (const [k, v] of Object.entries<any>(meta.outputs)) expect(doc).toContain(`| \`${k}\` | ${String(v.description).replace(/\|/g, '\\|')} |`);
    for (const r of gate.reasons) expect(doc).toContain(`| \`${r}\` |`);
  });
});
