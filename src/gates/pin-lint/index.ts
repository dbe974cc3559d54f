import type { Gate, GateContext } from '../../core/gate.js';
import type { Finding, GateResult, RuleInfo, Severity } from '../../core/types.js';
import { InputError, SEVERITIES, severityRank } from '../../core/types.js';
import { discoverWorkflowFiles, looksLikeWorkflowOrAction, mustBeWorkflow, parseBool, readDiscovered } from '../../core/files.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import { buildPolicy, type Policy } from './policy.js';
import { scanText, type UsesRef } from './scan.js';

export interface PinLintInputs {
  paths: string[];
  exclude: string[];
  policy: Policy;
  failOn: Severity;
  token?: string;
  apiUrl: string;
  fix: boolean;
}

interface PinLintConfig {
  policy?: Record<string, string>;
  exclude?: string[];
  'fail-on'?: Severity;
}

export const RULES: RuleInfo[] = [
  {
    id: 'unpinned-action',
    name: 'UnpinnedAction',
    description: 'Action or reusable workflow not pinned to a full 40-character commit SHA',
    help: 'A tag or branch can be moved to other code by whoever controls the repository. Pin `uses:` to the full commit SHA and keep the tag in a comment: `uses: actions/checkout@<40 hex> # v4.2.2`.',
    defaultSeverity: 'high',
  },
  {
    id: 'unpinned-image',
    name: 'UnpinnedImage',
    description: 'Container, service or docker:// image not pinned by sha256 digest',
    help: 'An image tag can be re-pushed. Reference the image by digest: `image: node:22@sha256:<64 hex>`.',
    defaultSeverity: 'high',
  },
  {
    id: 'unpinnable-ref',
    name: 'UnpinnableRef',
    description: 'Reference built from an expression that cannot be checked statically',
    help: 'A `uses:` or image built from `${{ … }}` cannot be verified to be pinned. Write the reference out, or list the values in the job matrix.',
    defaultSeverity: 'medium',
  },
  {
    id: 'version-comment',
    name: 'VersionComment',
    description: 'Comment beside a pinned SHA does not name a version',
    help: 'Keep the tag the SHA was taken from in a comment (`# v4.2.2`) so reviewers and update tools know what it is.',
    defaultSeverity: 'low',
  },
  {
    id: 'version-mismatch',
    name: 'VersionMismatch',
    description: 'The version comment names a tag that points to another commit',
    help: 'The comment says one release, the SHA is another: either the comment is stale or the SHA was swapped. Re-pin with `chaingate pin-lint --fix`.',
    defaultSeverity: 'high',
  },
  {
    id: 'version-unresolved',
    name: 'VersionUnresolved',
    description: 'The version comment names a tag the repository does not have',
    defaultSeverity: 'medium',
  },
  {
    id: 'tag-object-pin',
    name: 'TagObjectPin',
    description: 'The pinned SHA is an annotated tag object, not a commit',
    help: 'An annotated tag object is immutable like a commit (its SHA hashes the commit it points to), and the runner peels it to that commit, so this is not a moving target. But reviewers, Dependabot and Renovate compare commit SHAs, and the object can disappear when its tag is deleted. Pin the commit the message names, keeping the `# vX.Y.Z` comment.',
    defaultSeverity: 'low',
  },
  {
    id: 'impostor-commit',
    name: 'ImpostorCommit',
    description: 'The pinned commit is not in the repository itself, only (if anywhere) in its fork network',
    help: 'GitHub serves a commit pushed to any fork of owner/repo at owner/repo@<sha>, so a SHA pin can run code the repository never contained (an "impostor commit"). pin-lint found the commit on no branch and at or below no tag of the repository (exhaustively, within its request bounds). Pin a commit of a release of the repository itself, with its `# vX.Y.Z` comment.',
    defaultSeverity: 'high',
  },
  {
    id: 'impostor-unverified',
    name: 'ImpostorUnverified',
    description: 'The bounded search could not show that the pinned commit is in the repository itself',
    help: 'The commit is not on the default branch and not at the head of any branch or tag read, and the bounded search (3 pages of tags and branches, 10 compares per SHA, 300 requests per run) ended before every branch and tag was compared, or the repository is not visible to the token. A check that could not be made does not pass: the outcome is `error`. Pin the commit of a release tag with its `# vX.Y.Z` comment (proven with one request), or check the commit by hand and add `# chaingate: ignore[pin-lint]` on the line.',
    defaultSeverity: 'high',
  },
  {
    id: 'parse-error',
    name: 'ParseError',
    description: 'File could not be read or parsed',
    defaultSeverity: 'high',
  },
];

const REASONS = ['unpinned', 'unpinnable', 'version-mismatch', 'impostor-commit', 'impostor-unverified', 'api-error', 'fixed', 'fix-failed'] as const;

const gate: Gate<PinLintInputs> = {
  id: 'pin-lint',
  title: 'pin-lint',
  description: 'every action, reusable workflow and container image pinned to an immutable digest',
  static: true,
  inputs: [
    {
      name: 'paths',
      description: 'Files or directories to scan, one per line. Default: `.github/workflows/*.yml` and every `action.yml` in the workspace.',
      positional: true,
      multiple: true,
    },
    { name: 'fail-on', description: 'Lowest severity that fails the gate: critical, high, medium, low or info.', default: 'medium' },
    {
      name: 'token',
      description: 'GitHub token. When given, version comments are resolved through the GitHub API (annotated tags peeled) and mismatches reported, and every pinned SHA is checked to be in the repository itself, not only in a fork (impostor commits); `fix` needs it.',
      secret: true,
    },
    { name: 'api-url', description: 'GitHub REST API base URL. Default: `$GITHUB_API_URL`, else https://api.github.com.' },
    { name: 'fix', description: 'Rewrite tag refs to commit SHAs with a `# <tag>` comment, changing no other byte (needs `token`).', flag: true, default: 'false' },
  ],
  outputs: [],
  rules: RULES,
  reasons: REASONS,

  parseInputs(raw, ctx) {
    const cfg = (ctx.config.config['pin-lint'] ?? {}) as PinLintConfig;
    const locate = (k: string) => {
      const pos = ctx.config.locate(['pin-lint', 'policy', k]);
      return pos ? `${ctx.config.file}:${pos.line}:${pos.column}` : `${ctx.config.file ?? 'config'}`;
    };
    const policy = buildPolicy(cfg.policy, locate);
    const failOn = (raw['fail-on'] || cfg['fail-on'] || 'medium').trim() as Severity;
    if (!SEVERITIES.includes(failOn)) throw new InputError(`fail-on: "${failOn}" is not one of ${SEVERITIES.join(', ')}`);
    const fix = parseBool(raw.fix, 'fix');
    const token = raw.token?.trim() || undefined;
    if (fix && !token) throw new InputError('fix: rewriting tags to SHAs needs the GitHub API: give a token (--token "$GITHUB_TOKEN", or the action\'s token input)');
    return {
      paths: (raw.paths ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
      exclude: cfg.exclude ?? [],
      policy,
      failOn,
      token,
      apiUrl: (raw['api-url'] || ctx.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      fix,
    };
  },

  async run(inputs, ctx) {
    return runPinLint(inputs, ctx);
  },
};

export default gate;

export async function runPinLint(inputs: PinLintInputs, ctx: GateContext): Promise<GateResult> {
  const files = discoverWorkflowFiles(ctx.cwd, inputs.paths, inputs.exclude);
  const fp = new Fingerprinter();
  const findings: Finding[] = [];
  const refs: Array<UsesRef & { text: string; abs: string }> = [];
  let scanned = 0;
  let checked = 0;
  let skipped = 0;
  for (const f of files) {
    const read = readDiscovered(f);
    if (!read.ok) {
      if (read.skip) {
        skipped++;
        continue;
      }
      findings.push({ rule: 'parse-error', severity: 'high', isError: true, message: read.message, file: f.rel, line: 1, column: 1, fingerprint: fp.make('parse-error', f.rel, read.reason) });
      continue;
    }
    const res = scanText(f.rel, read.text, { policy: inputs.policy, fingerprinter: fp });
    if (res.kind === 'other' && !res.findings.length) {
      // an empty or comment-only file runs nothing, so it has nothing to pin; other YAML there is an error
      if (mustBeWorkflow(f) && !res.empty) {
        findings.push({ rule: 'parse-error', severity: 'high', isError: true, message: 'not a workflow: no `jobs:` mapping', file: f.rel, line: 1, column: 1, fingerprint: fp.make('parse-error', f.rel, 'no-jobs') });
      } else skipped++;
      continue;
    }
    if (res.kind === 'other' && !f.expected && !looksLikeWorkflowOrAction(read.text)) {
      // an unparseable YAML file that does not look like a workflow or action, found by walking a directory
      skipped++;
      continue;
    }
    scanned++;
    checked += res.checked;
    findings.push(...res.findings);
    for (const r of res.refs) refs.push({ ...r, text: read.text, abs: f.abs });
  }

  const reasons = new Set<string>();
  const metrics: Record<string, number> = { files: files.length, scanned, skipped, references: checked };
  let messages: string[] = [];

  if (inputs.token) {
    const { verifyOnline, fixRefs, ONLINE_RULES } = await import('./online.js');
    const online = await verifyOnline(refs, inputs, ctx, fp);
    findings.push(...online.findings);
    if (online.apiErrors.length) {
      reasons.add('api-error');
      messages.push(...online.apiErrors);
    }
    metrics.resolved = online.resolved;
    metrics.placed = online.placed;
    metrics.impostor_requests = online.impostorRequests;
    if (inputs.fix) {
      const fixed = await fixRefs(refs, inputs, ctx, online.cache, online.tagObjectPins);
      metrics.fixed = fixed.fixed;
      messages.push(...fixed.messages);
      if (fixed.errors.length) {
        reasons.add('api-error');
        messages.push(...fixed.errors);
      }
      if (fixed.unfixable.length) {
        // a file --fix would have damaged is left as it was: the run did not do what was asked
        reasons.add('fix-failed');
        messages.push(...fixed.unfixable);
      }
      if (fixed.fixed) {
        reasons.add('fixed');
        // re-lint what is on disk now
        const again = await runPinLint({ ...inputs, token: undefined, fix: false }, ctx);
        // (a tag-object pin that was re-pinned to its commit is settled)
        const keep = findings.filter((f) => ONLINE_RULES.has(f.rule) && !(f.rule === 'tag-object-pin' && fixed.repinned.has(`${f.file}:${f.line}:${f.column}`)));
        // The verdict below must see the online findings and API errors too: the offline re-lint knows neither.
        findings.length = 0;
        findings.push(...again.findings, ...keep.filter((k) => again.findings.every((a) => a.fingerprint !== k.fingerprint)));
        Object.assign(metrics, again.metrics, { fixed: fixed.fixed });
        // the re-lint was offline: keep the online counts
        Object.assign(metrics, { resolved: online.resolved, placed: online.placed, impostor_requests: online.impostorRequests });
        messages.push(...(again.messages ?? []));
      }
    }
    metrics.api_requests = online.api.requests;
  }

  // no workflow or action judged (none found, or only other YAML): nothing is evidence of compliance
  if (files.length === 0 || (scanned === 0 && !findings.some((f) => f.isError))) {
    const what = files.length ? `${files.length} YAML file(s) found, none of them a workflow or action` : inputs.paths.length ? 'no YAML files found under the given paths' : 'no workflow or action files found (looked for .github/workflows/*.yml and action.yml)';
    messages = [...messages, what];
    return { outcome: inputs.paths.length ? 'error' : 'skip', reasons: ['no-files'], findings, metrics, messages, policy: policyRecord(inputs) };
  }

  const open = findings.filter((f) => !f.suppressed);
  const errors = open.filter((f) => f.isError);
  const failing = open.filter((f) => !f.isError && severityRank(f.severity) >= severityRank(inputs.failOn));
  for (const f of failing) {
    if (f.rule === 'unpinned-action' || f.rule === 'unpinned-image') reasons.add('unpinned');
    else if (f.rule === 'unpinnable-ref') reasons.add('unpinnable');
    else if (f.rule === 'version-mismatch') reasons.add('version-mismatch');
    else if (f.rule === 'impostor-commit') reasons.add('impostor-commit');
    else reasons.add('findings');
  }
  for (const e of errors) reasons.add(e.rule === 'impostor-unverified' ? 'impostor-unverified' : 'parse-error');
  if (findings.some((f) => f.suppressed)) reasons.add('findings-suppressed');
  const outcome = errors.length || reasons.has('api-error') || reasons.has('fix-failed') ? 'error' : failing.length ? 'fail' : 'pass';
  if (outcome === 'pass') reasons.add('ok');
  return { outcome, reasons: [...reasons], findings, metrics, messages, policy: policyRecord(inputs) };
}

function policyRecord(inputs: PinLintInputs): Record<string, string | boolean> {
  const p: Record<string, string | boolean> = { 'fail-on': inputs.failOn, default: inputs.policy.fallback, online: !!inputs.token };
  for (const [k, v] of inputs.policy.exact) p[k] = v;
  for (const [k, v] of inputs.policy.owner) p[`${k}/*`] = v;
  return p;
}
