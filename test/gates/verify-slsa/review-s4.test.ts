// Second review of verify-slsa after the real-world merge. Tests marked "before:" failed on the code before
// this review; true negatives and positives sit beside them.
//  - a document whose bundle also carried an `attestations` list: the core verified a genuine bundle from that
//    list while the claims were read from the document's own, unsigned envelope (a forged artifact passed);
//  - a subject with a matching sha512 and a malformed sha256;
//  - two release files with the same bytes (counted once: the release failed with no reason);
//  - JSON Lines as downloaded (CRLF, BOM, blank lines), a broken line, multi-file releases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateRunner, why } from './run.js';
import { MockSigstore, githubClaims } from '../../helpers/sigstore.js';
import { githubV1Statement, npmV1Statement, sha256, sha512 } from './shapes.js';

const REPO = 'Acme/Widget';
const REF = 'refs/tags/v1.2.3';
const OWN = `https://github.com/${REPO}/.github/workflows/release.yml@${REF}`;
const BYTES = 'widget bytes (review s4)';
const EVIL = 'evil bytes (review s4)';
const TGZ = 'widget.tgz bytes (review s4)';

let ss: MockSigstore;
let dir: string;
beforeAll(async () => {
  ss = await MockSigstore.start();
  dir = mkdtempSync(join(tmpdir(), 'cg-slsa-s4-'));
  writeFileSync(join(dir, 'widget'), BYTES);
  writeFileSync(join(dir, 'widget-copy'), BYTES);
  writeFileSync(join(dir, 'widget-darwin'), `${BYTES} darwin`);
  writeFileSync(join(dir, 'evil'), EVIL);
  writeFileSync(join(dir, 'widget.tgz'), TGZ);
  ss.writeFiles(dir, { root: true });
});
afterAll(async () => ss?.close());

const sign = (st: Record<string, unknown>) => ss.signStatement(st, { identity: OWN, github: githubClaims(REPO, REF) });
const provenanceOf = (...files: Array<[string, string]>) => sign(githubV1Statement({ subjects: files.map(([name, data]) => ({ name, sha256: sha256(data) })), repo: REPO, ref: REF, builderId: OWN }));
const jsonl = (...lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
const run = gateRunner(() => dir, { 'source-uri': `github.com/${REPO}`, 'source-tag': 'v1.2.3' }, '.jsonl');

describe('the claims are read from the envelope the signature covers', () => {
  it('before: pass — a bundle carrying a forged envelope (naming the evil file) and `attestations: [genuine bundle]`; now signature-invalid (as an array, and as JSON Lines)', async () => {
    const genuine = (await provenanceOf(['widget', BYTES])) as any;
    const forged = { ...genuine, dsseEnvelope: { ...genuine.dsseEnvelope, payload: Buffer.from(JSON.stringify(githubV1Statement({ subjects: [{ name: 'evil', sha256: sha256(EVIL) }], repo: REPO, ref: REF, builderId: OWN }))).toString('base64') }, attestations: [{ bundle: genuine }] };
    for (const text of [JSON.stringify([forged]), jsonl(forged, forged), jsonl({ bundle: forged }, { bundle: forged })]) {
      const r = await run(text, { artifact: 'evil' });
      expect(r.outcome, why(r)).toBe('fail');
      expect(r.reasons).toEqual(['signature-invalid']);
      expect(r.outputs?.['subject-digests']).toBe('');
    }
  });

  it('true positives: the genuine bundle as a file, an array, JSON Lines with the gh {bundle} wrapper, and the attestations API answer', async () => {
    const genuine = await provenanceOf(['widget', BYTES]);
    for (const text of [JSON.stringify(genuine), JSON.stringify([genuine]), jsonl({ bundle: genuine }, { bundle: genuine }), JSON.stringify({ attestations: [{ bundle: genuine, repository_id: 1 }] })]) {
      const r = await run(text);
      expect(r.outcome, why(r)).toBe('pass');
    }
  });

  it('a gh line wrapping a bundle AND carrying an envelope of its own is refused, never read half from each', async () => {
    const genuine = (await provenanceOf(['widget', BYTES])) as any;
    const forgedEnv = { ...genuine.dsseEnvelope, payload: Buffer.from(JSON.stringify(githubV1Statement({ subjects: [{ name: 'evil', sha256: sha256(EVIL) }], repo: REPO, ref: REF, builderId: OWN }))).toString('base64') };
    const r = await run(jsonl({ bundle: genuine, dsseEnvelope: forgedEnv }, { bundle: genuine }), { artifact: 'evil' });
    expect(r.outcome).not.toBe('pass');
  });
});

describe('sha512 subjects (npm)', () => {
  it('before: pass — the tarball\'s sha512 with an empty or malformed sha256 beside it; now subject-mismatch naming the malformed digest', async () => {
    for (const bad of ['', 'not-hex', 'a'.repeat(63)]) {
      const st = npmV1Statement({ repo: REPO, ref: REF, sha512: sha512(TGZ), builderId: OWN });
      (st.subject as any)[0].digest.sha256 = bad;
      const r = await run(jsonl(await sign(st)), { artifact: 'widget.tgz' });
      expect(r.outcome, bad).toBe('fail');
      expect(r.reasons).toEqual(['subject-mismatch']);
      expect(why(r)).toMatch(/malformed sha256 digest/);
    }
  });
  it('true positives: sha512 alone, upper-case hex, and both digests right', async () => {
    for (const digest of [{ sha512: sha512(TGZ) }, { sha512: sha512(TGZ).toUpperCase() }, { sha512: sha512(TGZ), sha256: sha256(TGZ) }]) {
      const st = npmV1Statement({ repo: REPO, ref: REF, builderId: OWN });
      (st.subject as any)[0].digest = digest;
      const r = await run(jsonl(await sign(st)), { artifact: 'widget.tgz' });
      expect(r.outcome, why(r)).toBe('pass');
    }
  });
  it('an unknown algorithm only: error subject-digest-unsupported, never a pass', async () => {
    const st = npmV1Statement({ repo: REPO, ref: REF, builderId: OWN });
    (st.subject as any)[0].digest = { sha384: 'a'.repeat(96) };
    const r = await run(jsonl(await sign(st)), { artifact: 'widget.tgz' });
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['subject-digest-unsupported']);
  });
});

describe('multi-file releases', () => {
  it('before: fail with reason "findings" and no message — two files with the same bytes (counted once); now pass', async () => {
    const r = await run(jsonl(await provenanceOf(['widget', BYTES])), { artifact: 'widget\nwidget-copy' });
    expect(r.outcome, why(r)).toBe('pass');
    expect(r.outputs?.['subject-digests']).toBe(`sha256:${sha256(BYTES)},sha256:${sha256(BYTES)}`);
  });
  it('two artifacts, provenance for one only: fail naming the other (one document, or one per file)', async () => {
    for (const text of [jsonl(await provenanceOf(['widget', BYTES])), jsonl(await provenanceOf(['widget', BYTES]), await provenanceOf(['other', 'other bytes']))]) {
      const r = await run(text, { artifact: 'widget\nwidget-darwin' });
      expect(r.outcome).toBe('fail');
      expect(r.reasons).toEqual(['subject-mismatch']);
      expect(why(r)).toMatch(/widget-darwin/);
    }
    expect((await run(jsonl(await provenanceOf(['widget', BYTES], ['widget-darwin', `${BYTES} darwin`])), { artifact: 'widget\nwidget-darwin' })).outcome).toBe('pass');
  });
  it('the second file named only by a document that does not verify (tampered) fails', async () => {
    const darwin = (await provenanceOf(['widget-darwin', `${BYTES} darwin`])) as any;
    const tampered = structuredClone(darwin);
    tampered.dsseEnvelope.payload = Buffer.from(JSON.stringify(githubV1Statement({ subjects: [{ name: 'widget-darwin', sha256: sha256(`${BYTES} darwin`) }], repo: REPO, ref: 'refs/tags/v9.9.9', builderId: OWN }))).toString('base64');
    const r = await run(jsonl(await provenanceOf(['widget', BYTES]), tampered), { artifact: 'widget\nwidget-darwin' });
    expect(r.outcome).toBe('fail');
    expect(r.reasons).toContain('signature-invalid');
  });
});

describe('JSON Lines as downloaded', () => {
  it('CRLF, a BOM and blank lines: pass', async () => {
    const a = JSON.stringify({ bundle: await provenanceOf(['other', 'x']) });
    const b = JSON.stringify({ bundle: await provenanceOf(['widget', BYTES]) });
    for (const text of [`${a}\r\n${b}\r\n`, `\uFEFF${a}\n${b}\n`, `\n\n${a}\n\n\n${b}\n\n`]) {
      const r = await run(text);
      expect(r.outcome, why(r)).toBe('pass');
    }
  });
  it('a 10,000-line file is refused (bounded: parsed once, no document verified), it does not hang', async () => {
    const b = JSON.stringify({ bundle: await provenanceOf(['widget', BYTES]) });
    const r = await run(`${Array.from({ length: 10_000 }, () => b).join('\n')}\n`);
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['provenance-invalid']);
    expect(why(r)).toMatch(/10000 documents \(more than 1000\)/);
  });
  it('a line that is not JSON is an error naming its line, never skipped', async () => {
    const b = JSON.stringify({ bundle: await provenanceOf(['widget', BYTES]) });
    const r = await run(`${b}\n\nnot json\n`);
    expect(r.outcome).toBe('error');
    expect(r.reasons).toEqual(['provenance-invalid']);
    expect(why(r)).toMatch(/:3: invalid JSON/);
  });
});
