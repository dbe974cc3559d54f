// Fail-open hunting in evidence-verify: manifest, Statement and records that disagree, with real mock-Sigstore signatures.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIGEST, OTHER_DIGEST, makeRecord } from '../../helpers/evidence.js';
import { zip } from '../../helpers/archive.js';
import { IDENTITY, REQUIRED, STANDARD, dirEntries, makeBundle, other, replaceRecords, resign, rootFile, sha, ss, useEvidenceFixture, verify } from './fixture.js';

useEvidenceFixture();

function readRecs(dir: string): any[] {
  return readFileSync(join(dir, 'records/pipeline_run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

describe('records that are not this release run\'s', () => {
  it('a record naming the right subject but made in another repository → record-run-mismatch', async () => {
    const { ws, dir } = await makeBundle(STANDARD);
    const recs = readRecs(dir);
    recs.push(makeRecord({ gate: 'verify-slsa', digest: DIGEST, at: 3, env: { GITHUB_REPOSITORY: 'mallory/other' } }, ws.env));
    replaceRecords(dir, recs);
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['record-run-mismatch']);
    expect(v.result.findings[0].message).toContain('mallory/other');
  });

  it('a passing required-gate record from another run of the same repository hides this run\'s failure → record-run-mismatch', async () => {
    const { ws, dir } = await makeBundle([{ gate: 'pin-lint', at: 0 }, { gate: 'verify-cosign', digest: DIGEST, at: 1 }]);
    const recs = readRecs(dir);
    recs.push(makeRecord({ gate: 'bandit-gate', at: 2, digest: DIGEST, env: { GITHUB_RUN_ID: '9999' } }, ws.env));
    replaceRecords(dir, recs);
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['record-run-mismatch']);
  });

  it('records of the same run from another attempt (re-run jobs) are this run\'s: pass', async () => {
    const { ws, dir } = await makeBundle(STANDARD);
    const recs = readRecs(dir);
    recs.push(makeRecord({ gate: 'prt-guard', at: 3, env: { GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'other-job' } }, ws.env));
    replaceRecords(dir, recs);
    await resign(dir);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['ok']);
  });
});

describe('required gates: which record wins', () => {
  it.each([
    ['pass then fail', ['pass', 'fail']],
    ['fail then pass', ['fail', 'pass']],
    ['pass and skip', ['pass', 'skip']],
    ['pass and error', ['pass', 'error']],
  ] as const)('a required gate recorded twice (%s) → required-gate-failed: any non-pass wins', async (_, outcomes) => {
    const { dir } = await makeBundle([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, at: 1 }, { gate: 'bandit-gate', outcome: outcomes[0], at: 2 }, { gate: 'bandit-gate', outcome: outcomes[1], at: 3 }]);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toEqual(['required-gate-failed']);
    expect(v.result.outputs?.['subject-digest']).toBe('');
  });

  it.each(['skip', 'error'] as const)('a required gate named in required-gates whose only record is %s → required-gate-failed', async (outcome) => {
    const { dir } = await makeBundle([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, at: 1 }, { gate: 'bandit-gate', outcome, at: 2 }]);
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toEqual(['required-gate-failed']);
  });

  it('a required gate with no record → required-gate-missing', async () => {
    const { dir } = await makeBundle([{ gate: 'pin-lint' }, { gate: 'verify-cosign', digest: DIGEST, at: 1 }]);
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['required-gate-missing']);
  });
});

describe('Statement, manifest and files must agree', () => {
  it('a Statement with another predicateType signed by the right identity → statement-invalid', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (st) => {
      st.predicateType = 'https://slsa.dev/provenance/v1';
    });
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toContain('statement-invalid');
  });

  it('a Statement whose subject differs from the manifest subject → statement-mismatch (without subject-digest input too)', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (st) => {
      st.subject[0].digest.sha256 = OTHER_DIGEST.slice(7);
    });
    const v = await verify(dir, { ...REQUIRED, 'subject-digest': '' });
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toContain('statement-mismatch');
  });

  it('a Statement with two subjects → statement-invalid', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (st) => {
      st.subject.push({ name: 'other', digest: { sha256: OTHER_DIGEST.slice(7) } });
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('statement-invalid');
  });

  it('a Statement subject given only in another algorithm → statement-invalid', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (st) => {
      st.subject[0].digest = { sha512: 'a'.repeat(128) };
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('statement-invalid');
  });

  it('a manifest listing the same path twice → manifest-invalid', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (_st, m) => {
      m.files.push({ ...m.files[0] });
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('manifest-invalid');
  });

  it.each([
    ['upper-case hex', (h: string) => h.toUpperCase()],
    ['a prefixed digest', (h: string) => `sha256:${h}`],
    ['a sha512-length digest', (h: string) => h + h],
  ])('a manifest file digest given as %s → manifest-invalid', async (_, f) => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (_st, m) => {
      m.files[0].sha256 = f(m.files[0].sha256);
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('manifest-invalid');
  });

  it('a signed gate summary that disagrees with the record it names (outcome) → statement-mismatch', async () => {
    const { dir } = await makeBundle([...STANDARD.slice(0, 2), { gate: 'bandit-gate', outcome: 'fail', reasons: ['findings'], at: 2 }]);
    await resign(dir, (_st, m) => {
      for (const g of m.gates) if (g.gate === 'bandit-gate') Object.assign(g, { outcome: 'pass', reasons: ['ok'] });
    });
    const v = await verify(dir, REQUIRED);
    expect(v.result.reasons).toContain('statement-mismatch');
  });

  it('a signed gate summary that names another subject than its record → statement-mismatch', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (_st, m) => {
      for (const g of m.gates) if (g.gate === 'verify-cosign') g.subject_digest = OTHER_DIGEST;
    });
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('statement-mismatch');
  });

  it('a record file listed as a report (kind other) still has its records checked', async () => {
    const { dir } = await makeBundle(STANDARD);
    await resign(dir, (_st, m) => {
      for (const f of m.files) if (f.kind === 'records') f.kind = 'other';
    });
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
  });

  it('a file smuggled into the archive under a case-variant reserved name → unlisted-file', async () => {
    const { dir } = await makeBundle(STANDARD);
    writeFileSync(join(dir, 'Manifest.json'), '{}');
    expect((await verify(dir, REQUIRED)).result.reasons).toEqual(['unlisted-file']);
  });

  it('a schema-invalid record line inside a signed bundle → invalid-record', async () => {
    const { dir } = await makeBundle(STANDARD);
    const p = join(dir, 'records/pipeline_run.ndjson');
    writeFileSync(p, `${readFileSync(p, 'utf8')}{"schema":"chaingate.pipeline_run/v1","gate":"x"}\n`);
    await resign(dir);
    expect((await verify(dir, REQUIRED)).result.reasons).toContain('invalid-record');
  });

  it('the tampered bundle delivered as a zip is judged the same', async () => {
    const { dir } = await makeBundle(STANDARD);
    const entries = dirEntries(dir);
    entries.push({ name: 'reports/smuggled.sarif', data: '{}' });
    const d = mkdtempSync(join(tmpdir(), 'cg-arch-'));
    writeFileSync(join(d, 'e.zip'), zip(entries));
    expect((await verify(join(d, 'e.zip'), REQUIRED)).result.reasons).toEqual(['unlisted-file']);
  });
});

describe('subject-digest input', () => {
  it('without subject-digest a bundle about another digest still verifies, and the gate says it did not compare', async () => {
    const { dir } = await makeBundle(STANDARD);
    const v = await verify(dir, { ...REQUIRED, 'subject-digest': '' });
    expect(v.result.outcome).toBe('pass');
    expect(v.result.outputs?.['subject-digest']).toBe(DIGEST);
    expect(v.result.messages?.join('\n')).toContain('no subject-digest was given');
    const w = await verify(dir, { ...REQUIRED, 'subject-digest': OTHER_DIGEST });
    expect(w.result.reasons).toEqual(['subject-mismatch']);
    expect(w.result.outputs?.['subject-digest']).toBe('');
  });
});

describe('the signature covers the payload', () => {
  it('a DSSE payload edited inside an otherwise intact sigstore bundle (file beside it edited to match) → signature-invalid', async () => {
    const { dir } = await makeBundle([...STANDARD.slice(0, 2), { gate: 'bandit-gate', outcome: 'fail', reasons: ['findings'], at: 2 }]);
    const b = JSON.parse(readFileSync(join(dir, 'statement.sigstore.json'), 'utf8'));
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8'));
    st.predicate.result = 'PASSED';
    const bytes = Buffer.from(`${JSON.stringify(st, null, 2)}\n`);
    b.dsseEnvelope.payload = bytes.toString('base64');
    writeFileSync(join(dir, 'statement.sigstore.json'), JSON.stringify(b));
    writeFileSync(join(dir, 'statement.intoto.json'), bytes);
    const v = await verify(dir, REQUIRED);
    expect(v.result.outcome).toBe('fail');
    expect(v.result.reasons).toContain('signature-invalid');
    expect(v.result.outputs?.['signer-identity']).toBe('');
  });
});
