// A workspace for running verify-slsa as the runner does: an artifact, a provenance file and a copy of the
// stand-in slsa-verifier (with an optional fault mode).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runnerFiles, type RunnerFiles } from '../../helpers/runner.js';
import { generatorV02Statement, legacyEnvelope, sha256, type ShapeOptions } from './shapes.js';

export const STANDIN = join(ROOT, 'test/fixtures/verify-slsa/slsa-verifier');
export const ARTIFACT_BYTES = 'widget-1.2.3 release bytes';

export interface SlsaWorkspace {
  f: RunnerFiles;
  artifact: string;
  provenance: string;
  verifier: string;
  digest: string;
}

/** Legacy `.intoto.jsonl` (slsa-github-generator) over the artifact, plus the stand-in slsa-verifier. */
export function legacyWorkspace(o: { mode?: string; shape?: ShapeOptions; provenanceText?: string; payloadType?: string } = {}): SlsaWorkspace {
  const f = runnerFiles();
  const artifact = 'dist/widget-linux-amd64';
  mkdirSync(join(f.workspace, 'dist'), { recursive: true });
  writeFileSync(join(f.workspace, artifact), ARTIFACT_BYTES);
  const provenance = 'dist/widget-linux-amd64.intoto.jsonl';
  const st = generatorV02Statement({ subjects: [{ name: 'widget-linux-amd64', sha256: sha256(ARTIFACT_BYTES) }], ...(o.shape ?? {}) });
  writeFileSync(join(f.workspace, provenance), o.provenanceText ?? `${JSON.stringify(legacyEnvelope(st, o.payloadType))}\n`);
  const binDir = join(f.dir, 'bin');
  mkdirSync(binDir);
  const verifier = join(binDir, 'slsa-verifier');
  copyFileSync(STANDIN, verifier);
  if (o.mode) writeFileSync(`${verifier}.mode`, o.mode);
  return { f, artifact, provenance, verifier, digest: `sha256:${sha256(ARTIFACT_BYTES)}` };
}
