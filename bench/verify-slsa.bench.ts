// verify-slsa: cost of parsing a provenance file and checking the claims. Prints numbers; asserts nothing.
import { performance } from 'node:perf_hooks';
import { parseProvenanceText, decodeStatement } from '../src/gates/verify-slsa/provenance.js';
import { DEFAULT_TRUSTED_BUILDERS, checkDocument } from '../src/gates/verify-slsa/claims.js';
import { GENERATOR_BUILDER, generatorV02Statement, legacyEnvelope, sha256 } from '../test/gates/verify-slsa/shapes.js';

const SAN = `${GENERATOR_BUILDER}@refs/tags/v2.1.0`;
const digest = `sha256:${sha256('widget')}`;
const exp = { sourceUri: 'git+https://github.com/acme/widget', sourceTag: 'v1.2.3', artifacts: [{ name: 'widget', digest }], trustedBuilders: DEFAULT_TRUSTED_BUILDERS };

// 1. parse + claims over a JSONL of many documents, each with 50 subjects
for (const docs of [1, 100, 1000]) {
  const subjects = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, sha256: sha256(i === 0 ? 'widget' : `f${i}`) }));
  const line = JSON.stringify(legacyEnvelope(generatorV02Statement({ subjects, builderId: SAN })));
  const text = Array.from({ length: docs }, () => line).join('\n');
  const t0 = performance.now();
  let claims = 0;
  for (const d of parseProvenanceText(text)) {
    const s = decodeStatement(d.envelope);
    if ('facts' in s) claims += checkDocument(s.facts, { san: SAN, issuer: 'https://token.actions.githubusercontent.com', sourceRepositoryUri: 'https://github.com/acme/widget' }, exp).length;
  }
  const ms = performance.now() - t0;
  console.log(`parse+claims  ${String(docs).padStart(5)} docs  ${(text.length / 1024).toFixed(0).padStart(6)} KiB  ${ms.toFixed(1).padStart(8)} ms  (${claims} claims)`);
}

// (In-process signature verification is measured by the sigstore core's own bench: bench/run.mjs bundles with
// packages external, and the core's `import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' }` then
// loses its import attribute, so a bench importing src/core/sigstore cannot run yet.)
