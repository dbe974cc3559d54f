// The gate registry. Loaders are lazy so `chaingate <gate>` loads only that gate's code.
import type { Gate } from '../core/gate.js';

export interface GateEntry {
  id: string;
  summary: string;
  /** needs no outside input: part of `chaingate check` and the root action's default */
  static: boolean;
  load: () => Promise<Gate<any>>;
}

export const GATES: GateEntry[] = [
  { id: 'pin-lint', summary: 'every action, reusable workflow and image pinned to an immutable digest', static: true, load: async () => (await import('./pin-lint/index.js')).default },
  { id: 'prt-guard', summary: 'privileged-trigger workflows that fetch or inject attacker-controlled input', static: true, load: async () => (await import('./prt-guard/index.js')).default },
  { id: 'gate-integrity', summary: 'security scanners and verifiers wired so they can never block', static: true, load: async () => (await import('./gate-integrity/index.js')).default },
  { id: 'verify-cosign', summary: 'artifact or image signed (or attested) by the expected Sigstore identity', static: false, load: async () => (await import('./verify-cosign/index.js')).default },
  { id: 'verify-slsa', summary: 'SLSA provenance proves the artifact was built from the expected repository, ref and builder', static: false, load: async () => (await import('./verify-slsa/index.js')).default },
  { id: 'bandit-gate', summary: 'Bandit findings within budget (no HIGH by default), failing closed on unscanned code and bad reports', static: false, load: async () => (await import('./bandit-gate/index.js')).default },
  { id: 'dr-freshness', summary: 'the last successful disaster-recovery drill is within its SLA (records and/or GitHub runs)', static: false, load: async () => (await import('./dr-freshness/index.js')).default },
  { id: 'evidence-bundle', summary: 'collect records and reports into a signed in-toto evidence bundle on the release digest', static: false, load: async () => (await import('./evidence-bundle/index.js')).default },
  { id: 'evidence-verify', summary: 'verify a signed evidence bundle before promotion (signer, digests, records, required gates)', static: false, load: async () => (await import('./evidence-verify/index.js')).default },
];

/** Extra CLI commands that are not gates (e.g. `record`). Each returns the process exit code. */
export interface CommandEntry {
  id: string;
  summary: string;
  load: () => Promise<(argv: string[], io: CliIO) => Promise<number>>;
}

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (s: string) => void;
  err: (s: string) => void;
}

export const COMMANDS: CommandEntry[] = [
  { id: 'record', summary: 'append a schema-valid pipeline_run record for an external step (e.g. a DR drill)', load: async () => (await import('../commands/record.js')).recordCommand },
];
