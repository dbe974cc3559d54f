import type { Gate } from '../../core/gate.js';
import type { Finding, RuleInfo, Severity } from '../../core/types.js';
import { InputError, SEVERITIES, severityRank } from '../../core/types.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { loadModels } from '../prt-guard/load.js';
import { approvalMatches, parseApprovals, type Approval } from '../prt-guard/approvals.js';
import { analyzeIntegrity, type LocalActionResolver, type ScriptResolver } from './analyze.js';
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { readTextFile } from '../../core/files.js';
import { buildModel, type WorkflowModel } from '../prt-guard/model.js';

/**
 * Resolves `uses: ./path` to the repository's `path/action.yml` (or `.yaml`). The repository root is three
 * levels above `.github/workflows/x.yml`, else the file's own directory (also tried: the flattened
 * `path__action.yml` layout of a directory of collected files).
 */
export function localActionResolver(cwd: string): LocalActionResolver {
  const cache = new Map<string, WorkflowModel | undefined>();
  return (from, uses) => {
    const abs = (from as WorkflowModel & { abs?: string }).abs ?? resolvePath(cwd, from.file);
    const rel = uses.replace(/^\.\//, '').replace(/\/+$/, '');
    if (rel.split('/').includes('..')) return undefined;
    const dir = dirname(abs);
    const roots = basename(dir) === 'workflows' && basename(dirname(dir)) === '.github' ? [dirname(dirname(dir)), cwd] : [dir, cwd];
    const flat = rel.replace(/\//g, '__');
    const candidates = roots.flatMap((r) => [join(r, rel, 'action.yml'), join(r, rel, 'action.yaml'), join(r, `${flat}__action.yml`), join(r, `${flat}__action.yaml`)]);
    for (const c of candidates) {
      if (cache.has(c)) return cache.get(c);
      if (!existsSync(c)) continue;
      const r = readTextFile(c);
      const m = r.ok ? Object.assign(buildModel(c, r.text), { abs: c }) : undefined;
      cache.set(c, m);
      return m;
    }
    return undefined;
  };
}

/** Largest script file opened (bytes): a CI script is small; anything larger is not judged. */
export const MAX_SCRIPT_BYTES = 256 * 1024;

/**
 * Opens a shell script a step runs. The repository root is three levels above `.github/workflows/x.yml`, else the
 * workspace (`cwd`); relative paths resolve against the step's working directory (from the root), the root
 * (`$GITHUB_WORKSPACE/…`), the action's directory (`${{ github.action_path }}/…`) or the calling script's
 * directory. The real path (symlinks resolved) must stay inside the root's real path; only regular files up to
 * MAX_SCRIPT_BYTES of UTF-8 text are read. Anything else: not seen, no finding — `undefined` when nothing is at the
 * path, `null` when something is there that cannot be seen (a directory, a FIFO, a dangling symlink or one out of
 * the repository, too large, binary): make stops at the first Makefile name that exists, readable or not.
 */
export function scriptResolver(cwd: string): ScriptResolver {
  const cache = new Map<string, ReturnType<ScriptResolver>>();
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  return (from, path, base) => {
    if (isAbsolute(path) || path.includes('\0')) return undefined;
    const abs = (from as WorkflowModel & { abs?: string }).abs ?? resolvePath(cwd, from.file);
    const dir = dirname(abs);
    const root = basename(dir) === 'workflows' && basename(dirname(dir)) === '.github' ? dirname(dirname(dir)) : resolvePath(cwd);
    let start: string;
    if (base.kind === 'root') start = root;
    else if (base.kind === 'action') start = dir;
    else if (base.kind === 'script') start = base.dir;
    else {
      if (base.dir && (base.dir.includes('$') || isAbsolute(base.dir))) return undefined;
      start = resolvePath(root, base.dir ?? '.');
    }
    const cand = resolvePath(start, path);
    if (cache.has(cand)) return cache.get(cand);
    const result = ((): ReturnType<ScriptResolver> => {
      try {
        lstatSync(cand);
      } catch {
        return undefined;
      }
      const rootReal = real(root);
      const candReal = real(cand);
      if (!rootReal || !candReal) return null;
      // no following outside the repository: the real path (symlinks resolved) must be inside the root
      if (candReal !== rootReal && !candReal.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) return null;
      let st;
      try {
        st = statSync(candReal);
      } catch {
        return null;
      }
      if (!st.isFile() || st.size > MAX_SCRIPT_BYTES) return null;
      const r = readTextFile(candReal);
      if (!r.ok) return null;
      return { file: relative(cwd, cand) || cand, text: r.text, key: candReal, dir: dirname(cand) };
    })();
    cache.set(cand, result);
    return result;
  };
}

export interface GateIntegrityInputs {
  paths: string[];
  exclude: string[];
  failOn: Severity;
  allow: Approval[];
}

export const RULES: RuleInfo[] = [
  { id: 'continue-on-error', name: 'ContinueOnError', description: 'A security scanner/verifier step or job (or a local composite action running one) with continue-on-error: true, or a matrix continue-on-error true in every combination the scanner runs in', help: 'The step fails, the job passes: the check exists but never blocks. Remove continue-on-error; baseline or allowlist specific findings instead.', defaultSeverity: 'high' },
  { id: 'exit-suppressed', name: 'ExitSuppressed', description: 'The scanner\'s exit status is discarded (--exit-zero, --soft-fail, --exit-code 0, || true, || exit 0, ; exit 0, a pipe without pipefail, a detached container, a command substitution whose status is not the command\'s, a "never fail" action input or docker:// args)', help: 'Let the scanner\'s non-zero exit fail the step.', defaultSeverity: 'high' },
  { id: 'errexit-disabled', name: 'ErrexitDisabled', description: 'set +e before a scanner with no later check of its exit status', help: 'Keep errexit on, or capture `rc=$?` and `exit "$rc"` after reporting.', defaultSeverity: 'high' },
  { id: 'disabled-gate', name: 'DisabledGate', description: 'A security step or job disabled with if: false', help: 'A disabled check is no check: remove the condition or the step.', defaultSeverity: 'high' },
  { id: 'verifier-no-timeout', name: 'VerifierNoTimeout', description: 'cosign verify* / slsa-verifier run with no timeout', help: 'Wrap it in `timeout 300 …` or set `timeout-minutes:` on the step or job so a hang fails fast.', defaultSeverity: 'medium' },
  { id: 'bandit-json-stdout', name: 'BanditJsonStdout', description: 'bandit -f json written to stdout instead of -o FILE', help: 'Bandit\'s progress output can corrupt JSON on stdout; use `-f json -o bandit.json`.', defaultSeverity: 'medium' },
  { id: 'parse-error', name: 'ParseError', description: 'File could not be read or parsed', defaultSeverity: 'high' },
];

const REASONS = ['non-blocking-gate', 'verifier-no-timeout', 'bandit-json-stdout', 'approval-expired'] as const;

interface GiConfig {
  exclude?: string[];
  'fail-on'?: Severity;
}

const gate: Gate<GateIntegrityInputs> = {
  id: 'gate-integrity',
  title: 'gate-integrity',
  description: 'security scanners and verifiers wired so that they can never block (continue-on-error, --exit-zero, || true, set +e, if: false, no timeout)',
  static: true,
  inputs: [
    { name: 'paths', description: 'Files or directories to scan, one per line. Default: `.github/workflows/*.yml` and every `action.yml` in the workspace.', positional: true, multiple: true },
    { name: 'fail-on', description: 'Lowest severity that fails the gate: critical, high, medium, low or info.', default: 'medium' },
  ],
  outputs: [],
  rules: RULES,
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config['gate-integrity'] ?? {}) as GiConfig;
    const failOn = (raw['fail-on'] || cfg['fail-on'] || 'medium').trim() as Severity;
    if (!SEVERITIES.includes(failOn)) throw new InputError(`fail-on: "${failOn}" is not one of ${SEVERITIES.join(', ')}`);
    return {
      paths: (raw.paths ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
      exclude: cfg.exclude ?? [],
      failOn,
      allow: parseApprovals(ctx.config, 'gate-integrity', 'allow', ctx.now()),
    };
  },

  async run(inputs, ctx) {
    const fp = new Fingerprinter();
    const loaded = loadModels(ctx.cwd, inputs.paths, inputs.exclude, 'parse-error', fp);
    const findings: Finding[] = [...loaded.errors];
    const reasons = new Set<string>();
    const messages: string[] = [];
    const resolveLocal = localActionResolver(ctx.cwd);
    const resolveScript = scriptResolver(ctx.cwd);
    for (const m of loaded.models) {
      const fs = analyzeIntegrity(m, fp, resolveLocal, resolveScript);
      for (const f of fs) {
        const entries = inputs.allow.filter(
          (a) => approvalMatches(a, m.file, m.name) && (!a.rule || a.rule === f.rule) && (!a.job || a.job === f.properties?.job) && (!a.step || String(f.properties?.step ?? '').endsWith(`/${a.step}`) || a.step === f.properties?.step),
        );
        const ok = entries.find((a) => !a.expired);
        if (ok) f.suppressed = { kind: 'external', justification: ok.justification, expires: ok.expires };
      }
      findings.push(...fs);
    }
    for (const a of inputs.allow) {
      if (a.expired) {
        reasons.add('approval-expired');
        messages.push(`allowlist entry for ${a.workflow}${a.rule ? ` (${a.rule})` : ''} expired on ${a.expires} (${a.justification}): renew or remove it`);
      }
    }
    const policy = { 'fail-on': inputs.failOn, allowlist: inputs.allow.length };
    // no workflow or action judged (none found, or only other YAML): nothing is evidence of compliance
    if (loaded.files === 0 || (loaded.models.length === 0 && !loaded.errors.length)) {
      return { outcome: inputs.paths.length ? 'error' : 'skip', reasons: ['no-files'], findings, messages: [loaded.files ? `${loaded.files} YAML file(s) found, none of them a workflow or action` : 'no workflow or action files found'], policy };
    }
    const open = findings.filter((f) => !f.suppressed);
    const errors = open.filter((f) => f.isError);
    const failing = open.filter((f) => !f.isError && severityRank(f.severity) >= severityRank(inputs.failOn));
    for (const f of failing) {
      if (f.rule === 'verifier-no-timeout') reasons.add('verifier-no-timeout');
      else if (f.rule === 'bandit-json-stdout') reasons.add('bandit-json-stdout');
      else reasons.add('non-blocking-gate');
    }
    if (errors.length) reasons.add('parse-error');
    if (findings.some((f) => f.suppressed)) reasons.add('findings-suppressed');
    const outcome = errors.length ? 'error' : failing.length || reasons.has('approval-expired') ? 'fail' : 'pass';
    if (outcome === 'pass') reasons.add('ok');
    const metrics: Record<string, number> = { files: loaded.files, scanned: loaded.models.length, skipped: loaded.skipped };
    for (const f of findings) if (!f.isError) metrics[`rule.${f.rule}`] = (metrics[`rule.${f.rule}`] ?? 0) + 1;
    return { outcome, reasons: [...reasons], findings, messages, metrics, policy };
  },
};

export default gate;
