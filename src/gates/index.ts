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
  { id: 'verify-slsa', summary: 'SLSA provenance proves the artifact was built from the expected repository, ref and builder', static: false, load: async () => (await import('./verify-slsa/index.js')).default },
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

export const COMMANDS: CommandEntry[] = [];
