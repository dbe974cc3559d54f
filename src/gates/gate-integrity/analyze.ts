// gate-integrity: security scanners and verifiers wired so that they can never block the pipeline.
import type { Finding, Severity } from '../../core/types.js';
import type { Fingerprinter } from '../../core/fingerprint.js';
import { nodeLoc, spanLoc, splitUses, type Job, type Loc, type Step, type WorkflowModel } from '../prt-guard/model.js';
import { commandWords, findSubstitutions, substEnd as substEndOf, tokenizeShell, tokenizeSlice, type Command, type Word } from '../prt-guard/shell.js';
import { scalarText, type ScalarText } from '../prt-guard/scalar.js';
import { mapGet, mapEntries, scalarString, isMap, isSeq, type ParsedYaml, type YNode } from '../../core/yaml.js';
import { LineCounter } from 'yaml';
import { posix as ppath } from 'node:path';
import { expandMake, makeInvocation, makeLookup, npmInvocation, packageScripts, parseMakefile, recipeUnits, scriptSequence, UNRESOLVED, type IncludeInfo, type Mapped } from './make-npm.js';

const CLI_TOOLS = new Set(['bandit', 'semgrep', 'trivy', 'grype', 'checkov', 'gitleaks', 'trufflehog', 'zizmor', 'pip-audit', 'osv-scanner', 'slsa-verifier', 'cosign', 'chaingate', 'snyk', 'safety', 'tfsec', 'kics', 'govulncheck', 'gosec', 'brakeman', 'bundle-audit', 'bundler-audit']);
/**
 * Tools that are scans only with a subcommand (`snyk monitor` uploads a snapshot and exits 0 on findings,
 * `safety license`, `kics version`, `bundle-audit update` are not checks). Linters (shellcheck, actionlint,
 * hadolint) are not security gates here: decision 0960.
 */
const SUBCOMMANDS: Record<string, RegExp> = { snyk: /^(test|code|container|iac|sbom)$/, safety: /^(check|scan)$/, kics: /^scan$/, 'bundle-audit': /^(check)?$/, 'bundler-audit': /^(check)?$/ };
const MODULE_TOOLS: Record<string, string> = { bandit: 'bandit', pip_audit: 'pip-audit', semgrep: 'semgrep', checkov: 'checkov', zizmor: 'zizmor' };

const ACTION_TOOLS: Array<{ re: RegExp; tool: string }> = [
  { re: /^pycqa\/bandit-action$/, tool: 'bandit' },
  { re: /^(aquasecurity\/trivy-action)$/, tool: 'trivy' },
  { re: /^anchore\/scan-action$/, tool: 'grype' },
  { re: /^bridgecrewio\/checkov-action$/, tool: 'checkov' },
  { re: /^gitleaks\/gitleaks-action$/, tool: 'gitleaks' },
  { re: /^trufflesecurity\/trufflehog$/, tool: 'trufflehog' },
  { re: /^(returntocorp|semgrep)\/semgrep-action$/, tool: 'semgrep' },
  { re: /^zizmorcore\/zizmor-action$/, tool: 'zizmor' },
  { re: /^pypa\/gh-action-pip-audit$/, tool: 'pip-audit' },
  { re: /^google\/osv-scanner-action(\/.*)?$/, tool: 'osv-scanner' },
  { re: /^(chaingate\/[^/]+|[^/]+\/chaingate)(\/.*)?$/, tool: 'chaingate' },
  { re: /^slsa-framework\/slsa-verifier\/actions\/verify.*$/, tool: 'slsa-verifier' },
  { re: /^zricethezav\/gitleaks-action$/, tool: 'gitleaks' },
  { re: /^snyk\/actions(\/.*)?$/, tool: 'snyk' },
  { re: /^aquasecurity\/tfsec-action$/, tool: 'tfsec' },
  { re: /^checkmarx\/kics-github-action$/, tool: 'kics' },
  { re: /^securego\/gosec$/, tool: 'gosec' },
  { re: /^golang\/govulncheck-action$/, tool: 'govulncheck' },
  { re: /^pyupio\/safety-action$/, tool: 'safety' },
  { re: /^actions\/dependency-review-action$/, tool: 'dependency-review' },
];

/** explicit "never fail" inputs of scanner actions */
const ACTION_OPT_OUTS: Array<{ tool: string; input: string; bad: RegExp }> = [
  { tool: 'trivy', input: 'exit-code', bad: /^0$/ },
  { tool: 'grype', input: 'fail-build', bad: /^false$/i },
  { tool: 'checkov', input: 'soft_fail', bad: /^true$/i },
  { tool: 'osv-scanner', input: 'fail-on-vuln', bad: /^false$/i },
  { tool: 'pip-audit', input: 'internal-be-careful-allow-failure', bad: /^true$/i },
  { tool: 'bandit', input: 'exit_zero', bad: /^true$/i },
  { tool: 'chaingate', input: 'fail-on', bad: /^(none|off)$/i },
  { tool: 'tfsec', input: 'soft_fail', bad: /^true$/i },
  { tool: 'kics', input: 'ignore_on_exit', bad: /^(all|results)$/i },
  { tool: 'dependency-review', input: 'warn-only', bad: /^true$/i },
];

export interface ToolUse {
  tool: string;
  loc: Loc;
  /** for run steps: the command and its script */
  cmd?: Command;
  words?: Word[];
  st?: ScalarText;
  timeoutWrapped?: boolean;
  /** found inside `$(…)` or a `sh -c` string (its status is judged through the enclosing command) */
  inner?: boolean;
}

interface Hit {
  tool: string;
  /** index of the word the finding points at (tool name, or the container image) */
  at: number;
  /** index of `-d`/`--detach` of a `docker run` */
  detached?: number;
}

/** `docker run` options that take no value (every other option takes one, as `--opt v` or `--opt=v`). */
const DOCKER_BOOL = new Set(['--rm', '--detach', '--interactive', '--tty', '--privileged', '--init', '--read-only', '--publish-all', '--no-healthcheck', '--oom-kill-disable', '--quiet', '--help', '--disable-content-trust', '--sig-proxy', '--use-api-socket', '--replace', '--tls-verify']);
const DOCKER_SHORT_BOOL = new Set(['i', 't', 'd', 'P', 'q']);
/** options of runners (npx, pipx run, uvx, uv tool run, pnpm dlx, …) that take a value */
const RUNNER_VALUE_OPTS = new Set(['-p', '--package', '--from', '--with', '--with-editable', '--with-requirements', '--python', '--spec', '--pip-args', '--index-url', '--index', '--extra-index-url', '--default-index', '--registry', '--cache', '--constraints', '--overrides', '-w', '--workspace']);

/** Scanner named by a container image: its repository's last path component (registry, tag and digest ignored). */
export function imageTool(image: string): string | undefined {
  const noDigest = image.replace(/@.*$/, '');
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1).replace(/:.*$/, '').toLowerCase();
  return CLI_TOOLS.has(last) ? last : undefined;
}

/** `docker|podman|nerdctl run [opts] IMAGE …`: index of the image word, `-d`, `--entrypoint`. */
function dockerRun(t: string[]): { image: number; detached?: number; entrypoint?: string } | undefined {
  if (!/^(docker|podman|nerdctl)$/.test(t[0] ?? '')) return undefined;
  let k = t[1] === 'run' ? 2 : t[1] === 'container' && t[2] === 'run' ? 3 : -1;
  if (k < 0) return undefined;
  let detached: number | undefined;
  let entrypoint: string | undefined;
  while (k < t.length && t[k].startsWith('-')) {
    const w = t[k];
    if (w === '--') {
      k++;
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const val = eq < 0 ? undefined : w.slice(eq + 1);
      if (name === '--detach' && val !== 'false') detached = k;
      if (name === '--entrypoint') entrypoint = val ?? t[k + 1];
      k += val !== undefined || DOCKER_BOOL.has(name) ? 1 : 2;
      continue;
    }
    const letters = [...w.slice(1)];
    const firstValued = letters.findIndex((ch) => !DOCKER_SHORT_BOOL.has(ch));
    if (letters.slice(0, firstValued < 0 ? letters.length : firstValued).includes('d')) detached = k;
    // `-it`: flags only; `-v x` / `-itv x`: the value is the next word; `-eFOO=1`: attached
    k += firstValued < 0 || firstValued < letters.length - 1 ? 1 : 2;
  }
  return k < t.length ? { image: k, detached, entrypoint } : undefined;
}

const SHELL_NAMES = /^(sh|bash|dash|zsh|ksh|ash)$/;

export interface ShellC {
  /** the word holding the script string */
  body: Word;
  /** `-e` / `-o errexit` among the shell's options */
  errexit: boolean;
  /** `-o pipefail` among the shell's options */
  pipefail: boolean;
  /** bash (runs `$(…)` without errexit) rather than sh/dash */
  bash: boolean;
}

/**
 * `sh -c 'SCRIPT'`, `bash -ec "SCRIPT"`, `bash -o pipefail -c …`, also as the command of a container
 * (`docker run … IMAGE sh -c "…"`, `docker run --entrypoint sh IMAGE -c "…"`): the script word and the shell's
 * options. The inner shell has no errexit and no pipefail unless given.
 */
export function shellCOf(words: Word[]): ShellC | undefined {
  let w = words;
  let name: string | undefined;
  const d = dockerRun(w.map((x) => x.text));
  if (d) {
    const ep = d.entrypoint?.replace(/^.*\//, '');
    if (ep && SHELL_NAMES.test(ep)) {
      name = ep;
      w = w.slice(d.image); // the image word stands where the shell's name would
    } else w = w.slice(d.image + 1);
  }
  if (!w.length) return undefined;
  // `nix-shell [-p pkgs] --run 'STRING'`: bash runs the string after the shell's rc file, without errexit
  if (!name && w[0].text === 'nix-shell') {
    const r = w.findIndex((x) => x.text === '--run');
    return r > 0 && w[r + 1] ? { body: w[r + 1], errexit: false, pipefail: false, bash: true } : undefined;
  }
  name ??= w[0].text.replace(/^.*\//, '');
  if (!SHELL_NAMES.test(name)) return undefined;
  const o = shellOptions(w.map((x) => x.text));
  return o.c && w[o.next] ? { body: w[o.next], errexit: o.errexit, pipefail: o.pipefail, bash: name === 'bash' } : undefined;
}

/**
 * The options of a shell invocation `sh|bash [options] …`, read from words[1]: `-e`/`-o errexit`, `-o pipefail`
 * (also folded, `-eo pipefail`), `-c` / `-s`, and options that change neither. `next` is the first word after
 * them (after `-c`'s option words it is the command string; after `--` it is the word following it).
 */
export function shellOptions(words: string[]): { errexit: boolean; pipefail: boolean; c: boolean; s: boolean; next: number } {
  let errexit = false;
  let pipefail = false;
  let s = false;
  let k = 1;
  const named = (v: string | undefined) => {
    if (v === 'pipefail') pipefail = true;
    if (v === 'errexit') errexit = true;
  };
  while (k < words.length) {
    const t = words[k];
    if (t === '-o' || t === '+o') {
      if (t === '-o') named(words[k + 1]);
      k += 2;
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(t)) {
      if (t.includes('e')) errexit = true;
      if (t.includes('s')) s = true;
      k++;
      // `-eo pipefail -c`: the o takes the next word
      if (t.includes('o')) named(words[k++]);
      if (t.includes('c')) return { errexit, pipefail, c: true, s, next: k };
      continue;
    }
    if (/^(\+[a-zA-Z]+|--(noprofile|norc|login|posix|restricted))$/.test(t)) {
      k++;
      continue;
    }
    if (t === '--') k++;
    break;
  }
  return { errexit, pipefail, c: false, s, next: k };
}

/** a command a wrapper runs: words [from, to) of the wrapper; `lost` is the word that makes the wrapper's status not the command's */
export interface Wrapped {
  from: number;
  to: number;
  name: string;
  lost?: { at: number; why: string };
}

const XARGS_VALUED = new Set(['--max-args', '--max-procs', '--max-lines', '--delimiter', '--eof', '--arg-file', '--replace', '--max-chars', '--process-slot-var']);
const EXEC_VALUED = new Set(['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys', '--index']);
const KUBECTL_VALUED = new Set(['-c', '--container', '-n', '--namespace', '--context', '--kubeconfig', '-f', '--filename', '--pod-running-timeout', '--cluster', '--user', '-s', '--server', '--token', '--as', '--request-timeout']);

/**
 * Wrappers that run another command: `xargs [opts] CMD …` (exits 123/124/125 when an invocation fails, so the
 * failure is kept), `find … -exec CMD … {} +` (non-zero when an invocation fails) and `-exec … \;` (the
 * command's status is only a test: find exits 0), `docker|podman exec [opts] CONTAINER CMD` (the command's
 * status; `-d` returns at once), `docker compose exec SERVICE CMD`, `kubectl|oc exec POD [-- ] CMD`,
 * `nix develop|shell … -c CMD`, `poetry|uv|pipenv|pdm|hatch|rye run CMD`,
 * `conda|mamba|micromamba run [-n ENV] CMD`, `pixi run CMD`, `mise exec … -- CMD`, `devbox run CMD`,
 * `cross-env VAR=x … CMD`.
 */
export function wrapperOf(t: string[], isCmd: (w: string[]) => boolean = () => true): Wrapped | undefined {
  const n = t.length;
  const t0 = t[0] ?? '';
  if (t0 === 'xargs') {
    let k = 1;
    while (k < n && t[k].startsWith('-') && t[k] !== '-') {
      const w = t[k];
      if (w === '--') {
        k++;
        break;
      }
      if (w.startsWith('--')) {
        k += w.includes('=') || !XARGS_VALUED.has(w) ? 1 : 2;
        continue;
      }
      // short options, possibly combined (`-0r`, `-n1`, `-I{}`, `-I {}`); -i/-l/-e take only an attached value
      let step = 1;
      for (let i = 1; i < w.length; i++) {
        if ('ILnPsdEaJRS'.includes(w[i])) {
          if (i === w.length - 1) step = 2;
          break;
        }
        if ('iel'.includes(w[i])) break;
      }
      k += step;
    }
    return k < n ? { from: k, to: n, name: 'xargs' } : undefined;
  }
  if (t0 === 'find') {
    let first: Wrapped | undefined;
    for (let k = 1; k < n; k++) {
      if (t[k] !== '-exec' && t[k] !== '-execdir') continue;
      let e = k + 1;
      while (e < n && t[e] !== ';' && !(t[e] === '+' && t[e - 1] === '{}')) e++;
      const w: Wrapped = { from: k + 1, to: e, name: `find ${t[k]}` };
      if (e < n && t[e] === ';') w.lost = { at: e, why: `\`find ${t[k]} … \\;\` uses the command's exit status only as a test and exits 0 whatever it returns (only \`{} +\` passes a failure on)` };
      if (e > k + 1 && isCmd(t.slice(k + 1, e))) return w;
      first ??= e > k + 1 ? w : undefined;
      k = e;
    }
    return first;
  }
  if (/^(docker|podman|nerdctl|docker-compose|podman-compose)$/.test(t0)) {
    let i = 1;
    while (i < n && i < 8 && t[i] !== 'exec') {
      if (!(t[i] === 'container' || t[i] === 'compose' || t[i].startsWith('-') || t[i - 1].startsWith('-'))) return undefined;
      i++;
    }
    if (t[i] !== 'exec') return undefined;
    let k = i + 1;
    let lost: Wrapped['lost'];
    const detach = (w: string) => ({ at: k, why: `\`${w}\` runs the command detached: \`${t0} exec\` returns as soon as it starts` });
    while (k < n && t[k].startsWith('-')) {
      const w = t[k];
      if (w === '--') {
        k++;
        break;
      }
      if (w.startsWith('--')) {
        const eq = w.indexOf('=');
        const name = eq < 0 ? w : w.slice(0, eq);
        if (name === '--detach' && w !== '--detach=false') lost = detach(w);
        k += EXEC_VALUED.has(name) && eq < 0 ? 2 : 1;
        continue;
      }
      // `-it`, `-d`, `-itd`, `-e X=1`, `-eX=1`, `-u root`, `-w /src`
      const letters = [...w.slice(1)];
      const v = letters.findIndex((ch) => 'euw'.includes(ch));
      if (letters.slice(0, v < 0 ? letters.length : v).includes('d')) lost = detach(w);
      k += v >= 0 && v === letters.length - 1 ? 2 : 1;
    }
    k++; // the container / service
    return k < n ? { from: k, to: n, name: `${t0} exec`, lost } : undefined;
  }
  if (t0 === 'kubectl' || t0 === 'oc') {
    const i = t.indexOf('exec');
    if (i < 1 || i > 6) return undefined;
    const dd = t.indexOf('--', i + 1);
    if (dd > 0) return dd + 1 < n ? { from: dd + 1, to: n, name: `${t0} exec` } : undefined;
    let k = i + 1;
    let pod = false;
    while (k < n) {
      const w = t[k];
      if (w.startsWith('-')) k += KUBECTL_VALUED.has(w) ? 2 : 1;
      else if (!pod) {
        pod = true;
        k++;
      } else break;
    }
    return k < n ? { from: k, to: n, name: `${t0} exec` } : undefined;
  }
  if (t0 === 'nix' && (t[1] === 'develop' || t[1] === 'shell')) {
    const c = t.findIndex((w, i) => i > 1 && (w === '-c' || w === '--command'));
    return c > 0 && c + 1 < n ? { from: c + 1, to: n, name: `nix ${t[1]}` } : undefined;
  }
  if (t0 === 'cross-env') {
    // `cross-env VAR=x … CMD` (package scripts): sets the variables, runs CMD, exits with its status
    let c = 1;
    while (c < n && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t[c])) c++;
    return c < n ? { from: c, to: n, name: 'cross-env' } : undefined;
  }
  let k = -1;
  if (/^(poetry|uv|pipenv|pdm|hatch|rye|pixi|devbox)$/.test(t0) && t[1] === 'run') k = 2;
  else if (/^(conda|mamba|micromamba)$/.test(t0) && t[1] === 'run') k = 2;
  else if (t0 === 'mise' && (t[1] === 'exec' || t[1] === 'x')) {
    const dd = t.indexOf('--', 2);
    return dd > 0 && dd + 1 < n ? { from: dd + 1, to: n, name: 'mise exec' } : undefined;
  }
  if (k < 0) return undefined;
  while (k < n && t[k].startsWith('-')) {
    if (t[k] === '--') {
      k++;
      break;
    }
    k += RUNNER_VALUE_OPTS.has(t[k]) || /^(-n|--name|--prefix|-e|--environment|--env)$/.test(t[k]) ? 2 : 1;
  }
  return k < n ? { from: k, to: n, name: `${t0} run` } : undefined;
}

/** `trivy --version`, `grype version`, `bandit -h`: a query, not a scan */
const QUERY = /^(--version|-V|version|--help|-h|help)$/;

function toolOf(words: Word[], expand: (s: string) => string = (s) => s): Hit | undefined {
  const t = words.map((w) => w.text);
  const d = dockerRun(t);
  if (d) {
    const ep = d.entrypoint?.replace(/^.*\//, '');
    // `--entrypoint sh aquasec/trivy -c "trivy …"`: the script decides (shellCOf)
    if (ep && SHELL_NAMES.test(ep)) return undefined;
    let tool = ep && CLI_TOOLS.has(ep) ? ep : imageTool(expand(t[d.image]));
    if (tool) {
      let sub = d.image + 1;
      // `docker run semgrep/semgrep sh -c "semgrep ci; echo"`: the string decides (shellCOf)
      if (SHELL_NAMES.test((t[sub] ?? '').replace(/^.*\//, '')) && /^-[a-zA-Z]*[co]/.test(t[sub + 1] ?? '')) return undefined;
      if (t[sub] === tool) sub++;
      if (QUERY.test(t[sub] ?? '')) return undefined;
      if ((tool === 'cosign' || tool === 'slsa-verifier') && !/^verify/.test(t[sub] ?? '')) return undefined;
      if (tool === 'cosign') tool = `cosign ${t[sub]}`;
      return { tool, at: d.image, detached: d.detached };
    }
    // a general-purpose image running a scanner: `docker run -v …:/src python:3.12 bandit -r /src`
    const inner = toolOf(words.slice(d.image + 1));
    return inner ? { ...inner, at: inner.at + d.image + 1, detached: d.detached } : undefined;
  }
  let k = 0;
  // launchers
  if (t[0] === 'npx' || t[0] === 'pnpx' || t[0] === 'uvx' || t[0] === 'bunx') k = 1;
  else if ((t[0] === 'pipx' || t[0] === 'uv' || t[0] === 'poetry' || t[0] === 'pdm' || t[0] === 'hatch' || t[0] === 'pipenv') && t[1] === 'run') k = 2;
  else if (t[0] === 'uv' && t[1] === 'tool' && t[2] === 'run') k = 3;
  else if ((t[0] === 'pnpm' || t[0] === 'yarn') && (t[1] === 'dlx' || t[1] === 'exec')) k = 2;
  else if (t[0] === 'npm' && t[1] === 'exec') k = 2;
  // `bundle exec brakeman`, `go run golang.org/x/vuln/cmd/govulncheck@latest ./...`
  else if ((t[0] === 'bundle' && t[1] === 'exec') || (t[0] === 'go' && t[1] === 'run')) k = 2;
  while (k < t.length && k > 0 && t[k].startsWith('-')) k += RUNNER_VALUE_OPTS.has(t[k]) ? 2 : 1;
  if (/^python[\d.]*$/.test(t[0] ?? '') && t[1] === '-m' && MODULE_TOOLS[t[2]]) return { tool: MODULE_TOOLS[t[2]], at: 0 };
  if ((t[0] === 'npm' || t[0] === 'pnpm' || t[0] === 'yarn') && t[1] === 'audit' && t[2] !== 'fix' && !QUERY.test(t[2] ?? '')) return { tool: `${t[0]} audit`, at: 0 };
  if (t[0] === 'yarn' && t[1] === 'npm' && t[2] === 'audit') return { tool: 'yarn npm audit', at: 0 };
  // `cargo audit` (not `cargo audit fix`), `cargo deny check`, `bundle audit [check]`, `gh attestation verify`
  if (t[0] === 'cargo' && t[1] === 'audit' && !/^(fix|bin)$/.test(t[2] ?? '') && !QUERY.test(t[2] ?? '')) return { tool: 'cargo audit', at: 0 };
  if (t[0] === 'cargo' && t[1] === 'deny' && t.slice(2).includes('check')) return { tool: 'cargo deny', at: 0 };
  if (t[0] === 'bundle' && t[1] === 'audit' && /^(check)?$/.test(t[2] ?? '') ) return { tool: 'bundle audit', at: 0 };
  if (t[0] === 'gh' && t[1] === 'attestation' && t[2] === 'verify') return { tool: 'gh attestation verify', at: 0 };
  // `@scope/name@1.2`, `bandit==1.7.9`, `bandit[toml]`, `pip-audit@2.7`, `./bin/trivy`
  const name = (t[k] ?? '').replace(/^@/, '').replace(/@.*$/, '').replace(/^.*\//, '').replace(/[[=<>~!;].*$/, '');
  if (!CLI_TOOLS.has(name)) return undefined;
  if (QUERY.test(t[k + 1] ?? '')) return undefined;
  if (name === 'cosign' && !/^verify/.test(t[k + 1] ?? '')) return undefined;
  if (SUBCOMMANDS[name] && !SUBCOMMANDS[name].test(t.slice(k + 1).find((x) => !x.startsWith('-')) ?? '')) return undefined;
  if (name === 'slsa-verifier' && !/^verify/.test(t[k + 1] ?? '')) return undefined;
  return { tool: name === 'cosign' ? `cosign ${t[k + 1]}` : name, at: k };
}

export interface Unwrapped {
  words: Word[];
  timeout: boolean;
  /** the wrapper word that loses the inner command's status (`\;` of `find -exec`, `docker exec -d`) */
  lost?: { word: Word; why: string };
  /** the wrappers passed through, outermost first */
  via: string[];
}

/** The command inside wrappers (xargs, find -exec, docker/kubectl exec, nix develop -c, poetry/uv run, …), a few levels deep. */
export function unwrap(words: Word[], expand: (s: string) => string = (s) => s): Unwrapped {
  let w = words;
  let timeout = false;
  let lost: Unwrapped['lost'];
  const via: string[] = [];
  const asWords = (t: string[]) => t.map((text) => ({ text, raw: text, start: 0, end: 0 }));
  const isCmd = (t: string[]) => !!(toolOf(asWords(t), expand) || shellCOf(asWords(t)) || wrapperOf(t));
  for (let d = 0; d < 4 && w.length; d++) {
    if (toolOf(w, expand) || shellCOf(w)) break;
    const wr = wrapperOf(w.map((x) => x.text), isCmd);
    if (!wr) break;
    if (wr.lost && !lost) lost = { word: w[wr.lost.at], why: wr.lost.why };
    via.push(wr.name);
    const cw = commandWords({ words: w.slice(wr.from, wr.to), start: w[wr.from].start, sep: '', prev: '', index: 0 });
    timeout ||= cw.timeoutWrapped;
    w = cw.words;
  }
  return { words: w, timeout, lost, via };
}

/** Flags that turn findings into success, from word `from` on. */
function suppressFlags(words: Word[], from: number, tool = ''): Array<{ flag: string; k: number }> {
  const out: Array<{ flag: string; k: number }> = [];
  for (let k = from; k < words.length; k++) {
    const w = words[k].text;
    const next = words[k + 1]?.text;
    let flag: string | undefined;
    if (w === '--exit-zero' || w === '--soft-fail' || w === '--no-fail' || w === '--exit-zero-on-findings') flag = w;
    // tool-specific opt-outs: checkov `-s` (= --soft-fail), gosec `-no-fail`, zizmor `--no-exit-codes`, brakeman
    // `--no-exit-on-warn`, safety `--continue-on-error`, kics `--ignore-on-exit results|all`
    else if (tool === 'checkov' && w === '-s') flag = w;
    else if (tool === 'gosec' && w === '-no-fail') flag = w;
    else if (tool === 'zizmor' && w === '--no-exit-codes') flag = w;
    else if (tool === 'brakeman' && w === '--no-exit-on-warn') flag = w;
    else if (tool === 'safety' && w === '--continue-on-error') flag = w;
    else if (tool === 'kics' && (/^--ignore-on-exit=(all|results)$/.test(w) || (w === '--ignore-on-exit' && /^(all|results)$/.test(next ?? '')))) flag = `--ignore-on-exit ${w.includes('=') ? w.split('=')[1] : next}`;
    else if (/^--exit-code=0$/.test(w) || (w === '--exit-code' && next === '0')) flag = '--exit-code 0';
    else if (/^--fail-on=(none|never)$/.test(w) || (w === '--fail-on' && /^(none|never)$/.test(next ?? ''))) flag = `--fail-on ${w.includes('=') ? w.split('=')[1] : next}`;
    else if ((w === '--severity-level' || w === '--audit-level') && /^none$/.test(next ?? '')) flag = `${w} none`;
    else if (/^--(severity-level|audit-level)=none$/.test(w)) flag = w.replace('=', ' ');
    if (flag) out.push({ flag, k });
  }
  // checkov `--soft-fail --hard-fail-on HIGH`: the hard-fail list still fails the run
  if (tool === 'checkov' && words.some((w) => /^--hard-fail-on(=|$)/.test(w.text))) return out.filter((o) => o.flag !== '--soft-fail' && o.flag !== '-s');
  return out;
}

/**
 * Index of the next command that runs after list[k - 1] when it ends a block: `fi`, `done`, `esac`, `}` close it
 * (the block's status is its last command's), and an `else`/`elif` branch that follows a taken branch does not
 * run. `done` is passed over too: a loop's status is its last iteration's.
 */
export function skipClosers(list: Command[], k: number): number {
  let i = k;
  for (;;) {
    const w0 = list[i]?.words[0]?.text;
    if (w0 === 'fi' || w0 === 'done' || w0 === 'esac' || w0 === '}') i++;
    else if (w0 === 'else' || w0 === 'elif') {
      let depth = 0;
      for (i++; i < list.length; i++) {
        const t = list[i].words.map((w) => w.text);
        if (t.includes('if') && t[0] !== 'fi') depth += t.filter((x) => x === 'if').length;
        if (t[0] === 'fi') {
          if (depth === 0) break;
          depth--;
        }
      }
      i++;
    } else return i;
  }
}

/** a command that fails the script: `exit N`/`exit $rc`, `false`, `return N`, `throw` (not `::error`, which only annotates) */
const FAILS = /\bexit\s+([1-9]|"?\$)|(^|[\s;&|])false\b|\breturn\s+([1-9]|"?\$)|\bthrow\b/;
const STATUS_REF = /\$\?|\$\{\?\}|PIPESTATUS/;
/** helpers that conventionally end the script with an error (`die "msg"`), when their definition cannot be seen */
const CONVENTIONAL_FAILERS = ['die', 'fatal', 'fail', 'abort', 'bail', 'panic', 'error_exit', 'err_exit', 'exit_with_error'];

/**
 * Functions of a script that end it with an error (`die() { echo "$*" >&2; exit 1; }`), so `scanner || die "…"`
 * fails; with the conventional names (die, fatal, fail, …) when the script does not define them (a sourced
 * library). A defined function that does not exit (`warn() { echo "$*"; }`) is not one.
 */
export function failingFunctions(script: string): Set<string> {
  const defined = new Map<string, string>();
  const re = /(?:^|\n)[ \t]*(?:function[ \t]+([A-Za-z_][\w:.-]*)[ \t]*(?:\([ \t]*\))?|([A-Za-z_][\w:.-]*)[ \t]*\([ \t]*\))[ \t\n]*\{/g;
  for (const mm of script.matchAll(re)) {
    const open = (mm.index ?? 0) + mm[0].length;
    // the body up to a `}` alone at the start of a line (or `; }` on the same line)
    const rest = script.slice(open);
    const close = /(^|\n)[ \t]*\}|;[ \t]*\}/.exec(rest);
    defined.set(mm[1] ?? mm[2], rest.slice(0, close ? close.index : rest.length));
  }
  const out = new Set<string>();
  for (const [name, body] of defined) if (/\bexit\s+([1-9]|"?\$)/.test(body)) out.add(name);
  for (const name of CONVENTIONAL_FAILERS) if (!defined.has(name)) out.add(name);
  return out;
}
/** FAILS, or a call of one of the failing functions */
export function failsWith(fns: Set<string>): (x: string) => boolean {
  if (!fns.size) return (x) => FAILS.test(x);
  // in command position: at a line start, after `;`, `&&`, `||`, `{`, `(`, or a `then`/`do`/`else`
  const call = new RegExp(`(^|[;&|{(]|\\b(then|do|else)\\b)[ \\t]*(${[...fns].map((f) => f.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})(?=[ \\t;)]|$)`, 'm');
  return (x) => FAILS.test(x) || call.test(x);
}
/**
 * A later command that fails the script whatever the scanner's status (the output may decide: `exit 1` after a
 * `jq` count, `exit $failed`): a command `exit N`/`exit $VAR` (not `exit $?`, the previous command's, nor
 * words inside an `echo` string) or `false`.
 */
function laterFails(list: Command[], fns: Set<string> = new Set()): boolean {
  return list.some((c) => {
    const w = c.words.map((x) => x.text);
    let i = 0;
    while (i < w.length && /^(if|elif|while|until|then|else|do|!|\{)$/.test(w[i])) i++;
    if (w[i] === 'false') return true;
    // a failing helper called unconditionally (`die "…"`) or after a test (`[ "$n" -gt 0 ] && die …`)
    if (fns.has(w[i]) && c.prev !== '||') return true;
    return (w[i] === 'exit' || w[i] === 'return') && /^([1-9]|\$\{?[A-Za-z_])/.test(w[i + 1] ?? '');
  });
}

/**
 * Whether the exit status of the command just before `list[k]` is used to fail: `exit $?`, a test of `$?` or
 * `${PIPESTATUS[…]}` with a failing branch (`[ $? -ne 0 ] && exit 1`, `if [ $? … ]; then exit 1; fi`), or a
 * variable captured from it (`rc=$?`, `local rc=$?`, `status=$rc`) used that way; a status written to
 * `$GITHUB_OUTPUT`/`$GITHUB_ENV` (a later step may fail on it) or passed to an unknown command counts as
 * used. `echo "exit=$?"`, a test whose branches only warn, and a capture never read are not.
 * `$?`/`PIPESTATUS` refer to the scanner only in `list[k]`.
 */
export function statusUsed(list: Command[], k: number, text: (c: Command) => string, bodyOf: (list: Command[], j: number) => string, errexitAtStart = false, fails: (x: string) => boolean = (x) => FAILS.test(x)): boolean {
  const vars = new Set<string>();
  let errexit = errexitAtStart;
  const refRe = () => (vars.size ? new RegExp(`\\$\\{?(${[...vars].join('|')})\\b|\\(\\([^)]*\\b(${[...vars].join('|')})\\b`) : undefined);
  for (let i = k; i < list.length; i++) {
    const c = list[i];
    const raw = text(c);
    const direct = i === k && STATUS_REF.test(raw);
    const re = refRe();
    const viaVar = !!re && re.test(raw);
    if (c.words[0]?.text === 'set') {
      const flags = c.words.slice(1).map((w) => w.text).join(' ');
      if (/(^|\s)-[a-zA-Z]*e|-o errexit/.test(flags)) errexit = true;
      if (/(^|\s)\+[a-zA-Z]*e|\+o errexit/.test(flags)) errexit = false;
    }
    if (!direct && !viaVar) {
      if (!vars.size) return false;
      continue;
    }
    // captures: `rc=$?`, `local rc=$?`, `declare -i rc=$?`, `st=("${PIPESTATUS[@]}")`, `status=$rc`
    let words = c.words.map((w) => w.text);
    let captured = false;
    for (const mm of raw.matchAll(/(?:^|[\s;])([A-Za-z_]\w*)=\(?\s*["']?(\$\?|\$\{\?\}|\$\{?PIPESTATUS|\$\{?([A-Za-z_]\w*))/g)) {
      if (mm[3] && !vars.has(mm[3])) continue;
      vars.add(mm[1]);
      captured = true;
    }
    while (words.length && /^(local|declare|typeset|export|readonly|-[a-zA-Z]+)$/.test(words[0]) && captured) words = words.slice(1);
    if (captured && words.every((w) => /^[A-Za-z_]\w*(\[[^\]]*\])?\+?=/.test(w))) continue;
    let w0 = 0;
    let cond = false;
    while (w0 < words.length && /^(if|elif|while|until|then|else|do|!)$/.test(words[w0])) {
      if (/^(if|elif|while|until)$/.test(words[w0])) cond = true;
      w0++;
    }
    const head = words[w0] ?? '';
    if (head === 'exit' || head === 'return') {
      if (/^"?\$/.test(words[w0 + 1] ?? '') || /^[1-9]/.test(words[w0 + 1] ?? '')) return true;
      continue;
    }
    if (/GITHUB_OUTPUT|GITHUB_ENV/.test(raw)) return true;
    if (cond) {
      if (fails(bodyOf(list, i))) return true;
      continue;
    }
    if (head === 'case') {
      let e = i + 1;
      while (e < list.length && list[e].words[0]?.text !== 'esac') e++;
      if (fails(list.slice(i + 1, e).map(text).join('\n'))) return true;
      continue;
    }
    if (c.sep === '&&' || c.sep === '||') {
      let e = i + 1;
      const rest: string[] = [];
      while (e < list.length) {
        rest.push(text(list[e]));
        if (list[e].sep !== '&&' && list[e].sep !== '||') break;
        e++;
      }
      if (fails(rest.join('\n'))) return true;
      continue;
    }
    const isTest = /^(\[|\[\[|test)$/.test(head) || words.some((w) => /^(-ne|-eq|-gt|-lt|-ge|-le|!=|==|>|<)$/.test(w));
    // a bare test of the status (`test "$rc" -eq 0`) fails the step under errexit, or as the last command
    if (isTest && (errexit || i === list.length - 1)) return true;
    // a report or a test with no failing path; anything else given the status (`./gate.sh "$rc"`) may fail on it
    if (/^(echo|printf|\[|\[\[|test|:|true|cat|logger|tee|set|let)$/.test(head) || words.some((w) => /^(-ne|-eq|-gt|-lt|-ge|-le|!=|==|>|<)$/.test(w))) continue;
    if (!head) continue;
    return true;
  }
  return false;
}

function isVerifier(tool: string): boolean {
  return tool.startsWith('cosign verify') || tool === 'slsa-verifier';
}

const LITERAL_TRUE = /^(true|\$\{\{\s*true\s*\}\})$/i;
const LITERAL_FALSE = /^(false|0|''|\$\{\{\s*(false|0|'')\s*\}\}|(\$\{\{\s*)?false\s*&&[\s\S]*)$/i;

export interface RawFinding {
  rule: string;
  severity: Severity;
  message: string;
  loc: Loc;
  token: string;
  job: string;
  step: string;
  /** a script file of the repository the finding is in (default: the workflow or action) */
  file?: string;
}

/** A shell script of the repository that a step runs (`./scripts/scan.sh`, `bash scan.sh`, `source env.sh`). */
export interface ScriptFile {
  /** path shown in findings (relative to the workspace) */
  file: string;
  text: string;
  /** identity (real path) for cycle detection */
  key: string;
  /** directory of the script (for `$(dirname "$0")/other.sh`) */
  dir: string;
}
/** Where a relative script path is looked up: the step's working directory, the repository root, the action's directory, a script's directory. */
export type ScriptBase = { kind: 'workdir'; dir?: string } | { kind: 'root' } | { kind: 'action' } | { kind: 'script'; dir: string };
/** Opens a script of the scanned repository (bounded, inside the repository root, symlinks resolved); undefined when nothing is there, null when something is there that cannot be seen. */
export type ScriptResolver = (from: WorkflowModel, path: string, base: ScriptBase) => ScriptFile | null | undefined;

interface ScriptCtx {
  resolve?: ScriptResolver;
  depth: number;
  chain: string[];
  /** the script being judged (script mode) */
  file?: ScriptFile;
  shell?: { errexit: boolean; pipefail: boolean; bash: boolean };
  timeout?: boolean;
  /** `file:line:column` of the command that runs the script */
  caller?: string;
  /** script mode: the scanners whose status reaches the end of the script */
  carriers?: Array<{ tool: string; loc: Loc }>;
  /** make recipe / package script: the directory it runs in (absolute), for relative paths */
  cwd?: string;
  /** how the finding's place is named in messages (default: script `file`) */
  where?: string;
  /** how the shell text is named in messages (default: the script `file`) */
  label?: string;
  /** recipe lines / package scripts left to judge for this step (shared down the chain): a Makefile whose targets
   * all call `$(MAKE)` on all targets would otherwise multiply */
  budget?: { left: number };
}

/** Recipe lines and package scripts judged per step, at most (make/npm calls beyond it are not followed). */
export const MAX_TASK_UNITS = 2000;

/** A plain text file as a ScalarText (identity offsets), so findings can point into it. */
function fileText(text: string): ScalarText {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  const map = new Int32Array(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = i;
  return { value: text, map, p: { text, docs: [], errors: [], lineCounter: lc, bomLength: 0 } as unknown as ParsedYaml };
}

/** The shell a script runs in when executed directly: its `#!` line (`#!/bin/bash -e`, `#!/usr/bin/env -S bash -eo pipefail`, `#!/bin/sh`); no `#!`: the calling shell. Not a shell script: undefined. */
export function shebangShell(text: string, callerBash: boolean): { errexit: boolean; pipefail: boolean; bash: boolean } | undefined {
  const first = text.startsWith('#!') ? text.slice(2, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')).trim() : '';
  if (!first) return { errexit: false, pipefail: false, bash: callerBash };
  let parts = first.split(/\s+/);
  if (/(^|\/)env$/.test(parts[0])) {
    parts = parts.slice(1);
    while (parts[0]?.startsWith('-')) parts = parts.slice(1); // `env -S`
  }
  const name = (parts[0] ?? '').replace(/^.*\//, '');
  if (!SHELL_NAMES.test(name)) return undefined;
  const opts = parts.slice(1).join(' ');
  return { errexit: /(^|\s)-[a-zA-Z]*e|-o\s+errexit/.test(opts), pipefail: /-[a-zA-Z]*o\s+pipefail/.test(opts), bash: name !== 'sh' && name !== 'dash' && name !== 'ash' };
}

/**
 * A command that runs a script file: `./scripts/scan.sh`, `scripts/scan.sh`, `bash [-e] [-o pipefail] scan.sh`,
 * `sh scan.sh`, `source env.sh`, `. env.sh`; paths may start with `$GITHUB_WORKSPACE`, `${{ github.workspace }}`,
 * `$GITHUB_ACTION_PATH`, `${{ github.action_path }}`, or (inside a script) `$(dirname "$0")`. Paths with other
 * expansions are not resolved.
 */
export function scriptCall(words: Word[], expand: (s: string) => string, scriptDirVars: string[] = []): { pathWord: Word; path: string; base: ScriptBase | 'scriptdir'; shell: { errexit: boolean; pipefail: boolean; bash: boolean } | 'shebang' | 'source' } | undefined {
  if (!words.length) return undefined;
  const w0 = words[0].text;
  let k = -1;
  let shell: { errexit: boolean; pipefail: boolean; bash: boolean } | 'shebang' | 'source' = 'shebang';
  const name = w0.replace(/^.*\//, '');
  if (SHELL_NAMES.test(name) && !w0.includes('$')) {
    const o = shellOptions(words.map((x) => x.text));
    if (o.c || o.s) return undefined; // `-c STRING` (shellCOf), `-s` (stdin)
    const { errexit, pipefail } = o;
    const i = o.next;
    if (i >= words.length) return undefined;
    k = i;
    shell = { errexit, pipefail, bash: name !== 'sh' && name !== 'dash' && name !== 'ash' };
  } else if (w0 === 'source' || w0 === '.') {
    k = 1;
    shell = 'source';
  } else if (w0.includes('/') && !/^(https?:|[a-z]+:\/\/)/.test(w0)) {
    k = 0;
  } else return undefined;
  const pathWord = words[k];
  if (!pathWord) return undefined;
  let p = pathWord.text.trim();
  let base: ScriptBase | 'scriptdir' = { kind: 'workdir' };
  const strip = (re: RegExp) => {
    const mm = re.exec(p);
    if (!mm) return false;
    p = p.slice(mm[0].length).replace(/^\/+/, '');
    return true;
  };
  if (strip(/^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)(?=\/|$)/)) base = { kind: 'root' };
  else if (strip(/^(\$\{\{\s*github\.action_path\s*\}\}|\$\{?GITHUB_ACTION_PATH\}?)(?=\/|$)/)) base = { kind: 'action' };
  else if (strip(/^(\$\(\s*dirname\s+"?\$(0|\{?BASH_SOURCE(\[0\])?\}?)"?\s*\)|\$\{(0|BASH_SOURCE(\[0\])?)%\/\*\})(?=\/)/)) base = 'scriptdir';
  else if (scriptDirVars.length && strip(new RegExp(`^\\$\\{?(${scriptDirVars.join('|')})\\}?(?=/)`))) base = 'scriptdir';
  p = expand(p);
  if (!p || p.includes('$') || /[*?[\]`]/.test(p) || p.startsWith('/') || p.startsWith('~')) return undefined;
  return { pathWord, path: p, base, shell };
}

/**
 * `( … )` subshells in [a, b) of a script, as [open, close] offsets: a `(` in command position (line start,
 * after `;`, `&`, `|`, `(`, or `then`/`do`/`else`/`!`). A `set +e` inside one ends with it. Quotes, comments,
 * `$(…)`, `$((…))` and `${…}` are skipped; a `)` with nothing open (a `case` pattern) is ignored.
 */
export function subshellRanges(script: string, a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const open: number[] = [];
  let cmdPos = true;
  for (let k = a; k < b; k++) {
    const c = script[k];
    if (c === '\\') {
      k++;
      cmdPos = false;
      continue;
    }
    if (c === "'" || c === '"') {
      let e = k + 1;
      while (e < b && script[e] !== c) e += c === '"' && script[e] === '\\' ? 2 : 1;
      k = e;
      cmdPos = false;
      continue;
    }
    if (c === '#' && (k === a || /\s/.test(script[k - 1]))) {
      const e = script.indexOf('\n', k);
      k = (e < 0 || e > b ? b : e) - 1;
      continue;
    }
    if (c === '$' && (script[k + 1] === '(' || script[k + 1] === '{')) {
      k = (script[k + 1] === '(' ? substEndOf(script, k) : Math.max(k + 1, script.indexOf('}', k))) - (script[k + 1] === '(' ? 1 : 0);
      cmdPos = false;
      continue;
    }
    if (c === '(' && cmdPos) {
      open.push(k);
      continue;
    }
    if (c === ')') {
      const o = open.pop();
      if (o !== undefined) out.push([o, k]);
      cmdPos = false;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|') {
      cmdPos = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    // a word: `then (`, `do (`, `else (`, `! (` keep command position
    let e = k;
    while (e < b && !/[\s;&|()'"$\\]/.test(script[e])) e++;
    const word = script.slice(k, e);
    cmdPos = /^(then|do|else|!|\{)$/.test(word);
    k = Math.max(k, e - 1);
  }
  return out;
}

/** The innermost range holding offset `at`. */
function innermost(ranges: Array<[number, number]>, at: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const r of ranges) if (r[0] < at && at < r[1] && (!best || r[0] > best[0])) best = r;
  return best;
}

/** Offset of the operator that precedes command `next` in the script. */
function opBefore(script: string, next: Command | undefined, op: string, from: number): number {
  const end = next ? next.start : script.length;
  const i = script.lastIndexOf(op, end);
  return i >= from ? i : end;
}

/**
 * The directory `cd` commands before a command moved to, relative to where the list started: `cd web`, `cd
 * ./a/b`, `pushd web`. `null` when one cannot be followed (`cd "$DIR"`, `cd /abs`, `cd -`, `cd ~`, `popd`, `cd`
 * alone): a make/npm call after it is not followed.
 */
export function cdBefore(list: Command[]): string | null {
  let dir = '.';
  for (const c of list) {
    const w = c.words.map((x) => x.text);
    let i = 0;
    while (i < w.length && /^(if|elif|while|until|then|do|else|!|\{|\()$/.test(w[i])) i++;
    if (w[i] === 'popd') return null;
    if (w[i] !== 'cd' && w[i] !== 'pushd') continue;
    const args = w.slice(i + 1).filter((x) => !/^-[LPe@]+$/.test(x));
    const d = args[0];
    if (!d || d === '-' || d.startsWith('/') || d.startsWith('~') || /[$`*?]/.test(d)) return null;
    dir = ppath.join(dir, d);
  }
  return dir;
}

/** The step's working directory: its own, else `defaults.run.working-directory` of the job, else of the workflow. */
function workDir(m: WorkflowModel, job: Job, step: Step): string | undefined {
  if (step.workingDirectory !== undefined) return step.workingDirectory;
  if (!m.doc) return undefined;
  const wd = (node: YNode | null | undefined) => {
    const v = node ? mapGet(m.doc!, mapGet(m.doc!, mapGet(m.doc!, node, 'defaults'), 'run'), 'working-directory') : null;
    return v && 'value' in (v as object) ? String((v as unknown as { value: unknown }).value) : undefined;
  };
  return wd(job.node) ?? wd(m.doc.contents as YNode);
}

function analyzeStepScript(m: WorkflowModel, job: Job, step: Step, out: RawFinding[], jobLabel: string, sx: ScriptCtx = { depth: 0, chain: [] }): ToolUse[] {
  const st = step.run!;
  const script = st.value;
  const cmds = tokenizeShell(script);
  const uses: ToolUse[] = [];
  const shell = (step.shell ?? job.defaultShell ?? '').trim();
  const windows = /windows/i.test(job.runsOn) && !shell;
  const pipefailDefault = /^bash$/.test(shell) || /pipefail/.test(shell) || /^(pwsh|powershell|python|cmd)/.test(shell) || windows;
  if (/^python/.test(shell)) return uses;
  // shells where a failing command does not stop the script: a custom `bash {0}` / `sh {0}` without -e, and
  // pwsh / powershell / cmd (the default on Windows), whose step status is the last command's
  const noErrexitShell = windows || /^(pwsh|powershell|cmd)\b/.test(shell) || (/\{0\}/.test(shell) && /^(bash|sh|dash|zsh|ksh)\b/.test(shell) && !/(^|\s)-[a-zA-Z]*e|-o\s+errexit/.test(shell));
  let errexitOff: Command | undefined;
  let pipefail = pipefailDefault;
  // `$(…)` is a PowerShell subexpression, not a command substitution: only POSIX shells are judged here
  const posix = !windows && !/^(pwsh|powershell|cmd)\b/.test(shell);
  // bash (the default shell, `shell: bash`, `bash {0}`) runs command substitutions WITHOUT errexit unless
  // `shopt -s inherit_errexit` or POSIX mode; dash (`shell: sh`) and other shells inherit -e
  const substNoErrexit = (!shell || /^bash\b/.test(shell)) && !/inherit_errexit|set\s+-o\s+posix|--posix/.test(script + shell);
  const expand = (x: string) => x.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (all, name: string) => step.env.get(name)?.value ?? job.env.get(name)?.value ?? m.env.get(name)?.value ?? all);
  const inScript = sx.file ? ` (${sx.where ?? `script \`${sx.file.file}\``}, run at ${sx.caller})` : '';
  const add = (rule: string, severity: Severity, message: string, loc: Loc, token: string) => out.push({ rule, severity, message: inScript ? `${message.replace(/\.$/, '')}${inScript}.` : message, loc, token, job: jobLabel, step: step.label, file: sx.file?.file });
  // helpers of this script that fail it (`die() { …; exit 1; }`), and the conventional ones it does not define
  const fnFail = failingFunctions(script);
  const fails = failsWith(fnFail);
  // what fails a branch: `exit 1`, `false`, `return 1`, `throw`, pwsh `Write-Error` (the runner's pwsh stops on it),
  // a failing helper; not a `::error` annotation, which only annotates (decision 0970)
  const blockingText = (x: string) => /\bexit\s+([1-9]|\$)|\bfalse\b|\breturn\s+[1-9]|\bthrow\b|\bWrite-Error\b/.test(x) || fails(x);
  const cmdText = (x: Command) => script.slice(x.start, x.words[x.words.length - 1].end);
  /** the commands of an `if`/`while` body after command j, up to the matching `fi`/`done` */
  const bodyAfter = (list: Command[], j: number) => {
    let depth = 0;
    let fi = -1;
    for (let k = j + 1; k < list.length && fi < 0; k++) {
      for (const w of list[k].words.map((x) => x.text)) {
        if (w === 'if' || w === 'while' || w === 'until' || w === 'for' || w === 'case') depth++;
        else if (w === 'fi' || w === 'done' || w === 'esac') {
          if (depth === 0) {
            fi = k;
            break;
          }
          depth--;
        } else if (!/^(then|else|elif|do|!)$/.test(w)) break;
      }
    }
    return list.slice(j + 1, fi < 0 ? list.length : fi).map(cmdText).join('\n');
  };
  /** rules that depend on the tool's own words: never-fail flags, verifier timeout, bandit JSON on stdout */
  const perTool = (words: Word[], hit: Hit, timeoutWrapped: boolean, tag: string) => {
    for (const { flag, k } of suppressFlags(words, hit.at + 1, hit.tool)) {
      add('exit-suppressed', 'high', `\`${flag}\` makes ${tag} exit 0 whatever it finds, so the scan can never block: remove it and baseline or allowlist specific findings instead.`, spanLoc(st, words[k].start, words[k].end), flag);
    }
    const toolLoc = spanLoc(st, words[hit.at].start, words[hit.at].end);
    if (isVerifier(hit.tool) && !timeoutWrapped && !step.timeoutMinutes && !job.timeoutMinutes) {
      add('verifier-no-timeout', 'medium', `${tag} runs with no time limit (no \`timeout\` wrapper, no \`timeout-minutes\`): a hung verifier holds the job for up to 6 hours instead of failing fast (cosign's own --timeout has not always been honoured).`, toolLoc, hit.tool);
    }
    if (hit.tool === 'bandit') {
      let fmt: Word | undefined;
      let hasOut = false;
      for (let k = hit.at + 1; k < words.length; k++) {
        const w = words[k].text;
        if ((w === '-f' || w === '--format') && words[k + 1]?.text === 'json') fmt = words[k];
        if (/^(-fjson|--format=json)$/.test(w)) fmt = words[k];
        if (w === '-o' || w === '--output' || /^--output=/.test(w) || /^-o\S/.test(w)) hasOut = true;
      }
      if (fmt && !hasOut) add('bandit-json-stdout', 'medium', `bandit writes its JSON report to stdout in step \`${step.label}\`, where its progress output can corrupt the JSON past ~50 files: write it with \`-o report.json\`.`, spanLoc(st, fmt.start, fmt.end), '-f json');
    }
    if (hit.detached !== undefined) {
      const later = script.slice(words[words.length - 1].end);
      if (!/\b(docker|podman|nerdctl)\s+(container\s+)?wait\b/.test(later)) {
        const dw = words[hit.detached];
        add('exit-suppressed', 'high', `\`${dw.text}\` runs ${tag} in a detached container: \`docker run\` exits 0 as soon as the container starts and nothing waits for it (\`docker wait\`), so the scan can never block.`, spanLoc(st, dw.start, dw.end), 'docker run -d');
      }
    }
    return toolLoc;
  };
  /**
   * Scanners inside a command substitution. Findings for a status lost inside it (`$(trivy … || true)`,
   * `$(bandit …; echo)` under bash, a pipe without pipefail); returns the tools whose status is the
   * substitution's.
   */
  // every scanner met inside a substitution counts as a tool of the step (continue-on-error, if: false)
  const substSeen: ToolUse[] = [];
  interface InnerOpts {
    /** what encloses the script: a command substitution or a `sh -c` string */
    kind: 'subst' | 'shell';
    /** errexit in force inside */
    errexit: boolean;
    pipefail: boolean;
    /** the shell inside is bash (its `$(…)` drop errexit) */
    bash: boolean;
    /** a `timeout` wrapper around the enclosing command */
    timeout: boolean;
    depth: number;
    /** substitutions already judged by the enclosing shell (a double-quoted `sh -c "…"` string) */
    skipSubst?: boolean;
    label: string;
  }
  const substOpts = (): InnerOpts => ({ kind: 'subst', errexit: !substNoErrexit, pipefail, bash: substNoErrexit, timeout: false, depth: 1, label: '`$(…)`' });
  /** the script of a `sh -c` string: scanners whose status is the string's (the wrapper's) */
  const shellScan = (sc: ShellC, quiet: boolean, timeout: boolean, depth: number): Array<{ tool: string; loc: Loc }> => {
    const q = sc.body.raw[0];
    const quoted = (q === '"' || q === "'") && sc.body.raw.length >= 2 && sc.body.raw.endsWith(q);
    const a = quoted ? sc.body.start + 1 : sc.body.start;
    const b = quoted ? sc.body.end - 1 : sc.body.end;
    return innerScan(a, b, quiet, { kind: 'shell', errexit: sc.errexit, pipefail: sc.pipefail, bash: sc.bash, timeout, depth, skipSubst: q === '"', label: `the \`${sc.bash ? 'bash' : 'sh'} -c\` script` });
  };
  const stepBash = !/^(sh|dash)\b/.test(shell);
  // `DIR=$(cd "$(dirname "$0")" && pwd)`, `SCRIPT_DIR=$(dirname "${BASH_SOURCE[0]}")`: variables holding the script's directory
  const scriptDirVars = sx.file ? [...script.matchAll(/(?:^|\n)\s*(?:local\s+|readonly\s+|export\s+)?([A-Za-z_]\w*)=["']?\$\((?:cd\s+"?)?\$?\(?\s*dirname\s+"?\$(?:0|\{?BASH_SOURCE)/g)].map((mm) => mm[1]) : [];
  /** a script of the repository run by this command: judged by its own shell's rules; its scanners whose status reaches its end */
  const runScript = (w: Word[], timeout: boolean, cur: { errexit: boolean; pipefail: boolean }, quiet: boolean) => {
    if (!sx.resolve || sx.depth >= 3 || !posix) return undefined;
    const call = scriptCall(w, expand, scriptDirVars);
    if (!call) return undefined;
    const base: ScriptBase = call.base === 'scriptdir' ? (sx.file ? { kind: 'script', dir: sx.file.dir } : { kind: 'workdir' }) : call.base.kind === 'workdir' && sx.cwd ? { kind: 'script', dir: sx.cwd } : call.base.kind === 'workdir' && !sx.file ? { kind: 'workdir', dir: workDir(m, job, step) } : call.base;
    if (call.base === 'scriptdir' && !sx.file) return undefined;
    if (base.kind === 'action' && m.kind !== 'action') return undefined;
    const sf = sx.resolve(m, call.path, base);
    if (!sf || sx.chain.includes(sf.key)) return undefined;
    const sh = call.shell === 'source' ? { errexit: cur.errexit, pipefail: cur.pipefail, bash: stepBash } : call.shell === 'shebang' ? shebangShell(sf.text, stepBash) : call.shell;
    if (!sh) return undefined;
    const loc = spanLoc(st, call.pathWord.start, call.pathWord.end);
    const sub: ScriptCtx = { resolve: sx.resolve, depth: sx.depth + 1, chain: [...sx.chain, sf.key], file: sf, shell: sh, timeout, caller: `step \`${step.label}\` (${sx.file?.file ?? m.file}:${loc.line}:${loc.column})`, cwd: sx.cwd, budget: sx.budget };
    const tools = analyzeStepScript(m, job, { ...step, run: fileText(sf.text) }, quiet ? [] : out, jobLabel, sub);
    return { carriers: sub.carriers ?? [], tools, loc, file: sf.file, via: undefined as string | undefined };
  };
  /**
   * `make [-C dir] [-f file] [target…]` and `npm run S` / `npm test` / `yarn S` / `pnpm [run] S` (decision 0971):
   * the Makefile's recipe lines or the package.json scripts that run, each judged as the `sh -c` string make or
   * the package manager hands it to; their scanners whose status reaches the end of a line make the call a
   * scanner command. A `-` prefix, `.IGNORE` or `make -i` on a line whose scanner fails is a finding.
   */
  const runTask = (w: Word[], timeout: boolean, quiet: boolean, before: Command[]) => {
    if (!sx.resolve || sx.depth >= 3 || !posix || !w.length) return undefined;
    const t = w.map((x) => x.text);
    const mk = makeInvocation(t);
    const nc = mk ? undefined : npmInvocation(t);
    if ((!mk || mk.noRun) && !nc) return undefined;
    const budget = (sx.budget ??= { left: MAX_TASK_UNITS });
    if (budget.left <= 0) return undefined;
    const cd = cdBefore(before);
    if (cd === null) return undefined;
    const rel = ppath.join(cd, mk ? mk.dir : nc!.dir);
    if (rel.startsWith('..') || ppath.isAbsolute(rel) || /[$`*?]/.test(rel)) return undefined;
    const baseAt = (r: string): ScriptBase => (sx.cwd ? { kind: 'script', dir: ppath.join(sx.cwd, r) } : { kind: 'workdir', dir: ppath.join(workDir(m, job, step) ?? '.', r) });
    const open = (r: string, name: string) => (name.includes('$') || ppath.isAbsolute(name) ? undefined : sx.resolve!(m, name, baseAt(r)));
    const loc = spanLoc(st, w[0].start, w[w.length - 1].end);
    const caller = `step \`${step.label}\` (${sx.file?.file ?? m.file}:${loc.line}:${loc.column})`;
    const envOf = (name: string) => step.env.get(name)?.value ?? job.env.get(name)?.value ?? m.env.get(name)?.value;
    const carriers: Array<{ tool: string; loc: Loc }> = [];
    const tools: ToolUse[] = [];
    /** one `sh -c` invocation: its own findings (into the file), and its scanners whose status reaches its end */
    const srcs = new Map<string, ScalarText>();
    const judge = (sf: ScriptFile, text: Mapped, key: string, shell: { errexit: boolean; pipefail: boolean; bash: boolean }, cwd: string, where: string, label: string, into: RawFinding[] = quiet ? [] : out) => {
      const src = srcs.get(sf.key) ?? fileText(sf.text);
      srcs.set(sf.key, src);
      const map = new Int32Array(text.text.length + 1);
      for (let k = 0; k < text.text.length; k++) map[k] = text.map[k];
      map[text.text.length] = text.text.length ? text.map[text.text.length - 1] + 1 : 0;
      budget.left--;
      const sub: ScriptCtx = { resolve: sx.resolve, depth: sx.depth + 1, chain: [...sx.chain, key], file: sf, shell, timeout, caller, cwd, where, label, budget };
      const found = analyzeStepScript(m, job, { ...step, run: { value: text.text, map, p: src.p } }, into, jobLabel, sub);
      return { carriers: sub.carriers ?? [], src, found };
    };
    const names = (cs: Array<{ tool: string }>) => [...new Set(cs.map((x) => x.tool))].join(', ');
    if (mk) {
      const candidates = mk.file ? [mk.file] : ['GNUmakefile', 'makefile', 'Makefile'];
      let sf: ScriptFile | null | undefined;
      let name = '';
      for (const c of candidates) {
        // make reads the first name that exists: one it cannot read (a directory, a dangling symlink) stops it there
        sf = open(rel, c);
        if (sf !== undefined) {
          name = c;
          break;
        }
      }
      if (!sf) return undefined;
      const mfile = sf;
      // recipes run in make's directory (`-C`), not the directory of a `-f` file
      const up = ppath.relative(ppath.dirname(name), '.');
      const cwd = ppath.dirname(name) === '.' ? sf.dir : ppath.normalize(ppath.join(sf.dir, up));
      let mf: ReturnType<typeof parseMakefile>;
      let units: ReturnType<typeof recipeUnits>;
      // `include x.mk`: relative to make's directory; what the file sets decides which variables, shell flags and
      // default goal are still known (a file that cannot be seen: none of them)
      const include = (files: string[], optional: boolean): IncludeInfo => {
        const info: Required<IncludeInfo> = { opaque: false, vars: [], rules: false, shell: false };
        for (const f of files) {
          if (ppath.isAbsolute(f)) return { opaque: true };
          const inc = sx.resolve!(m, f, { kind: 'script', dir: cwd });
          if (inc === undefined && optional && !mf0Targets.has(f)) continue; // `-include .env` missing from the checkout: nothing read
          if (!inc) return { opaque: true };
          let sub: ReturnType<typeof parseMakefile>;
          try {
            sub = parseMakefile(inc.text);
          } catch {
            return { opaque: true };
          }
          if (sub.shellUnknown) return { opaque: true }; // it includes further files
          info.vars.push(...sub.vars.keys());
          info.rules ||= sub.rules.size > 0;
          info.shell ||= sub.oneshell || sub.posix || ['SHELL', '.SHELLFLAGS', 'MAKEFLAGS'].some((v) => sub.vars.has(v));
        }
        return info;
      };
      let mf0Targets = new Set<string>();
      try {
        mf0Targets = new Set(parseMakefile(mfile.text).rules.keys());
        mf = parseMakefile(mfile.text, mk.vars, envOf, include);
        units = recipeUnits(mf, mk.targets.length ? mk.targets : mf.defaultGoal ? [mf.defaultGoal] : [], envOf);
      } catch {
        return undefined; // a Makefile this reader cannot follow, or beyond the expansion limits: not seen, no finding
      }
      const goals = mk.targets.length ? mk.targets : mf.defaultGoal ? [mf.defaultGoal] : [];
      if (!goals.length) return undefined;
      const lookup = makeLookup(mf, envOf);
      const shellVar = lookup('SHELL');
      const flagsVar = lookup('.SHELLFLAGS');
      const expandVar = (v: ReturnType<typeof lookup>) => (!v || v.dynamic ? undefined : v.simple ? v.value : expandMake(v.value, new Array(v.value.length).fill(0), lookup).text);
      const shellWords = (expandVar(shellVar) ?? '').trim().split(/\s+/);
      if (/(^|\/)env$/.test(shellWords[0] ?? '')) shellWords.shift();
      const shellName = (shellWords[0] ?? '').replace(/^.*\//, '');
      const flags = expandVar(flagsVar);
      let shell = { errexit: true, pipefail: true, bash: true };
      // an include that cannot be seen, or one that sets the shell: judged as if it had `-e -o pipefail` (only what
      // does not depend on the shell's flags is found: `-`, `|| true`, `--exit-zero`, …)
      if (!mf.shellUnknown) {
        if (!SHELL_NAMES.test(shellName) || flags === undefined || flags.includes(UNRESOLVED)) return undefined;
        const o = shellOptions([shellName, ...shellWords.slice(1), ...flags.trim().split(/\s+/)]);
        if (!o.c) return undefined;
        shell = { errexit: o.errexit, pipefail: o.pipefail, bash: shellName !== 'sh' && shellName !== 'dash' && shellName !== 'ash' };
      }
      const ignoredByI: Array<{ tool: string }> = [];
      for (const u of units) {
        if (!u.script.text.trim()) continue;
        if (budget.left <= 0) return undefined; // not all of it seen: not claimed
        const where = `recipe of target \`${u.target}\` in \`${sf.file}\``;
        const r = judge(sf, u.script, `${sf.key}#${u.target}`, shell, cwd, where, `the recipe line of target \`${u.target}\``);
        tools.push(...r.found);
        if (!r.carriers.length) continue;
        const tag = `${names(r.carriers)} in the ${where}`;
        if (u.ignoreAt !== undefined) {
          if (!quiet) out.push({ rule: 'exit-suppressed', severity: 'high', message: `the \`-\` prefix of this recipe line makes make ignore the failure of ${tag} and carry on, so the scan can never block (run at ${caller}).`, loc: spanLoc(r.src, u.ignoreAt, u.ignoreAt + 1), token: `- ${u.target}`, job: jobLabel, step: step.label, file: sf.file });
        } else if (u.ignoredBy !== undefined) {
          if (!quiet) out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`.IGNORE\` makes make ignore the failure of ${tag} and carry on, so the scan can never block (run at ${caller}).`, loc: spanLoc(r.src, u.ignoredBy, u.ignoredBy + '.IGNORE'.length), token: `.IGNORE ${u.target}`, job: jobLabel, step: step.label, file: sf.file });
        } else if (mf.ignoreFlagsAt !== undefined) {
          if (!quiet) out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`MAKEFLAGS\` with \`-i\` (ignore errors) set in the Makefile makes make ignore the failure of ${tag} and exit 0, so the scan can never block (run at ${caller}).`, loc: spanLoc(r.src, mf.ignoreFlagsAt, mf.ignoreFlagsAt + 'MAKEFLAGS'.length), token: `MAKEFLAGS -i ${u.target}`, job: jobLabel, step: step.label, file: sf.file });
        } else if (mk.ignoreErrors !== undefined) ignoredByI.push(...r.carriers);
        else carriers.push(...r.carriers);
      }
      if (ignoredByI.length && mk.ignoreErrors !== undefined) {
        const iw = w[mk.ignoreErrors];
        add('exit-suppressed', 'high', `\`${iw.text}\` (ignore errors) makes make carry on and exit 0 when ${names(ignoredByI)} in \`${sf.file}\` fails, so the scan can never block (\`-k\` keeps going but still fails).`, spanLoc(st, iw.start, iw.end), 'make -i');
      }
      return { carriers, tools, loc, file: sf.file, via: `\`make ${goals.join(' ')}\` (\`${sf.file}\`)` };
    }
    const call = nc!;
    const pf = open(rel, 'package.json');
    if (!pf) return undefined;
    let pkg: ReturnType<typeof packageScripts>;
    try {
      pkg = packageScripts(pf.text);
    } catch {
      pkg = undefined;
    }
    if (!pkg) return undefined;
    // yarn berry's `.yarnrc.yml` / pnpm's `.npmrc`: beside package.json or at the repository root (a monorepo's)
    const atRoot = (name: string) => sx.resolve!(m, name, { kind: 'root' });
    const yarnBerry = call.pm === 'yarn' && !!(open(rel, '.yarnrc.yml') ?? atRoot('.yarnrc.yml'));
    const npmrcs = call.pm === 'pnpm' ? [open(rel, '.npmrc'), atRoot('.npmrc')] : [];
    const seq = scriptSequence(call, pkg, { yarnBerry, pnpmPrePost: npmrcs.some((f) => !!f && /^\s*enable-pre-post-scripts\s*=\s*true\s*$/m.test(f.text)) });
    for (const s of seq) {
      const where = `script \`${s}\` in \`${pf.file}\``;
      const body = pkg.scripts.get(s)!;
      const r = judge(pf, body, `${pf.key}#${s}`, { errexit: false, pipefail: false, bash: false }, pf.dir, where, `the ${call.pm} script \`${s}\``);
      carriers.push(...r.carriers);
      tools.push(...r.found);
      if (s !== call.script || !call.args.length || quiet) continue;
      // arguments after the name are appended to the script's command string (`npm run scan -- --exit-zero`):
      // judged with them, a finding at the end of the string is theirs, reported at them in the step
      const end = body.map[body.text.length];
      const extra = ` ${call.args.map((a) => w[a].raw).join(' ')}`;
      const withArgs: Mapped = { text: body.text + extra, map: [...body.map.slice(0, body.text.length), ...new Array(extra.length).fill(end)] };
      const tmp: RawFinding[] = [];
      judge(pf, withArgs, `${pf.key}#${s}`, { errexit: false, pipefail: false, bash: false }, pf.dir, where, `the ${call.pm} script \`${s}\``, tmp);
      const endLoc = spanLoc(r.src, end, end + 1);
      const a0 = w[call.args[0]];
      const a1 = w[call.args[call.args.length - 1]];
      for (const f of tmp) {
        if (f.loc.line !== endLoc.line || f.loc.column !== endLoc.column) continue;
        add(f.rule, f.severity, `the arguments \`${extra.trim()}\` passed to ${call.pm} script \`${s}\` (\`${pf.file}\`) are appended to its command: ${f.message.replace(/ \(script `[^`]*` in `[^`]*`, run at [\s\S]*$/, '.')}`, spanLoc(st, a0.start, a1.end), `args ${f.token}`);
      }
    }
    if (!seq.length) return undefined;
    return { carriers, tools, loc, file: pf.file, via: `\`${call.pm} run ${call.script}\` (\`${pf.file}\`)` };
  };
  /** `name() { … }` / `function name { … }` bodies: [open brace, close brace] offsets */
  const fnRanges = (a: number, b: number): Array<[number, number, string]> => {
    const text = script.slice(a, b);
    const r: Array<[number, number, string]> = [];
    for (const mm of text.matchAll(/(?:^|\n)[ \t]*(?:function[ \t]+([A-Za-z_][\w:.-]*)[ \t]*(?:\([ \t]*\))?|([A-Za-z_][\w:.-]*)[ \t]*\([ \t]*\))[ \t\n]*\{/g)) {
      const open = (mm.index ?? 0) + mm[0].length - 1;
      let depth = 0;
      let close = text.length;
      for (let i = open; i < text.length; i++) {
        const ch = text[i];
        const before = i === 0 ? '\n' : text[i - 1];
        const after = text[i + 1] ?? '\n';
        if (ch === '{' && /[\s;]/.test(before) && /\s/.test(after)) depth++;
        else if (ch === '{' && i === open) depth++;
        else if (ch === '}' && /[\s;]/.test(before) && /[\s;)]/.test(after)) {
          depth--;
          if (depth === 0) {
            close = i;
            break;
          }
        }
      }
      r.push([a + open, a + close, mm[1] ?? mm[2]]);
    }
    return r;
  };
  const innerScan = (a: number, b: number, quiet: boolean, o: InnerOpts = substOpts()): Array<{ tool: string; loc: Loc }> => {
    const addFlow = quiet ? () => undefined : add;
    const inner = tokenizeSlice(script, a, b);
    const res: Array<{ tool: string; loc: Loc }> = [];
    let errexit = o.errexit;
    let pf = o.pipefail;
    const innerText = (x: Command) => script.slice(x.start, x.words[x.words.length - 1].end);
    const fns = o.kind === 'shell' ? fnRanges(a, b) : [];
    /** functions whose last command is a scanner: a call carries its status (`scan || true`) */
    const fnCarriers = new Map<string, Array<{ tool: string; loc: Loc }>>();
    /** functions with a scanner that is not their last command, stopped only by errexit */
    const fnErrexitOnly = new Map<string, Array<{ tool: string; loc: Loc }>>();
    let offBy: Command | undefined;
    // `( set +e; … )`: the subshell's options end with it
    const subs = subshellRanges(script, a, b);
    const scopes: Array<{ end: number; errexit: boolean; pf: boolean; offBy?: Command }> = [];
    for (let k = 0; k < inner.length; k++) {
      const ic = inner[k];
      while (scopes.length && ic.start > scopes[scopes.length - 1].end) ({ errexit, pf, offBy } = scopes.pop()!);
      const icw = commandWords(ic);
      let iw = icw.words;
      let icond: Word | undefined;
      let negated: Word | undefined;
      while (iw.length && /^(if|elif|while|until|then|do|else|!)$/.test(iw[0].text)) {
        if (/^(if|elif|while|until)$/.test(iw[0].text)) icond = iw[0];
        if (iw[0].text === '!') negated = iw[0];
        iw = iw.slice(1);
      }
      if (iw[0]?.text === 'set') {
        const sub = innermost(subs, ic.start);
        if (sub && !scopes.some((x) => x.end === sub[1])) scopes.push({ end: sub[1], errexit, pf, offBy });
        const flags = iw.slice(1).map((w) => w.text).join(' ');
        if (/(^|\s)\+[a-zA-Z]*e/.test(flags) || /\+o errexit/.test(flags)) {
          errexit = false;
          offBy = ic;
        }
        if (/(^|\s)-[a-zA-Z]*e/.test(flags) || /-o errexit/.test(flags)) {
          errexit = true;
          offBy = undefined;
        }
        if (/-[a-zA-Z]*o\s+pipefail/.test(flags)) pf = true;
        continue;
      }
      // `trap 'exit 1' ERR`: a failing command runs the trap, which fails the script, errexit or not
      if (iw[0]?.text === 'trap' && iw.some((w) => w.text === 'ERR') && FAILS.test(iw[1]?.text ?? '')) {
        errexit = true;
        offBy = undefined;
        continue;
      }
      // a sourced file may turn errexit/pipefail on (`source "$(dirname "$0")/lib.sh"`): unseen, assume it does
      if ((iw[0]?.text === 'source' || iw[0]?.text === '.') && iw[1] && o.kind === 'shell') {
        const call = scriptCall(iw, expand, scriptDirVars);
        const base: ScriptBase | undefined = !call ? undefined : call.base === 'scriptdir' ? (sx.file ? { kind: 'script', dir: sx.file.dir } : undefined) : call.base.kind === 'workdir' && !sx.file ? { kind: 'workdir', dir: workDir(m, job, step) } : call.base;
        const sf = call && base && sx.resolve ? sx.resolve(m, call.path, base) : undefined;
        if (!sf || /(^|\n)\s*set\s+(-[a-zA-Z]*e|-o\s+errexit)/.test(sf.text)) {
          errexit = true;
          offBy = undefined;
        }
        if (!sf || /set\s+(-[a-zA-Z]*o\s+pipefail|-o\s+pipefail)/.test(sf.text)) pf = true;
      }
      const iu = unwrap(iw, expand);
      iw = iu.words;
      const tw = icw.timeoutWrapped || o.timeout || iu.timeout;
      const h = toolOf(iw, expand);
      const ivia = iu.via.length ? ` (run by \`${iu.via.join(' → ')}\`)` : '';
      let hits: Array<{ tool: string; loc: Loc }> = [];
      const fnCall = !h && iw[0] ? fnCarriers.get(iw[0].text) : undefined;
      if (fnCall) {
        hits = fnCall.map((x) => ({ tool: x.tool.includes('(through function') ? x.tool : `${x.tool} (through function \`${iw[0].text}\`)`, loc: x.loc }));
      } else if (h) {
        const loc = perTool(iw, h, tw, `${h.tool}${ivia} inside ${o.label} in step \`${step.label}\``);
        substSeen.push({ tool: h.tool, loc, cmd: ic, words: iw, st, timeoutWrapped: tw, inner: true });
        hits = [{ tool: h.tool, loc }];
      } else if (o.depth < 4) {
        const sc = shellCOf(iw);
        const rs = sc ? undefined : runScript(iw, tw, { errexit, pipefail: pf }, quiet) ?? runTask(iw, tw, quiet, inner.slice(0, k));
        if (sc) hits = shellScan(sc, quiet, tw, o.depth + 1);
        else if (rs) {
          if (rs.carriers.length) hits = [{ tool: `${[...new Set(rs.carriers.map((x) => x.tool))].join(', ')} (through ${rs.via ?? `\`${rs.file}\``})`, loc: rs.loc }];
          else if (rs.tools.length) substSeen.push({ tool: `${[...new Set(rs.tools.map((x) => x.tool))].join(', ')}`, loc: rs.loc, inner: true });
        } else if (!o.skipSubst) {
          // a substitution nested in this script: `out=$(x=$(trivy …); …)`, `sh -c 'r=$(trivy …)'`
          const substs = ic.words.flatMap((w) => findSubstitutions(script, w.start, w.end));
          const lastS = substs[substs.length - 1];
          for (const s2 of substs) {
            const r2 = innerScan(s2.a, s2.b, quiet, { kind: 'subst', errexit: errexit && !o.bash, pipefail: pf, bash: o.bash, timeout: tw, depth: o.depth + 1, label: '`$(…)`' });
            if (!r2.length) continue;
            if (!iw.length) {
              if (s2 === lastS) hits.push(...r2);
              else addFlow('exit-suppressed', 'high', `${r2[0].tool} inside \`$(…)\` in step \`${step.label}\` is not the last command substitution of this assignment, so the scanner's failure is lost.`, spanLoc(st, lastS.open, lastS.b + 1), 'subst not-last-assignment');
            } else {
              addFlow('exit-suppressed', 'high', `the status of \`${iw[0].text}\` is its own, not that of ${r2[0].tool} inside \`$(…)\` in step \`${step.label}\`, so the scanner's failure is lost.`, spanLoc(st, iw[0].start, iw[0].end), `${iw[0].text}-subst`);
            }
          }
        }
      }
      // a function whose scanner is not its last command relies on errexit, which bash ignores in a function
      // called as a condition (`if f`, `! f`, `f || …`, `f && …`): the function carries on and returns its last status
      const reliesOnErrexit = !h && iw[0] ? fnErrexitOnly.get(iw[0].text) : undefined;
      if (reliesOnErrexit) {
        const how = icond ? `the condition of \`${icond.text}\`` : negated ? 'a negated command (`!`)' : ic.sep === '||' ? 'the left side of `||`' : ic.sep === '&&' ? 'the left side of `&&`' : undefined;
        if (how) addFlow('exit-suppressed', 'high', `${[...new Set(reliesOnErrexit.map((x) => x.tool))].join(', ')} in function \`${iw[0].text}\` is not its last command and relies on \`set -e\`, which bash ignores inside a function called as ${how}: the function carries on after the scanner fails and returns its last command's status, so the scan can never block${inScript ? '' : ` (step \`${step.label}\`)`}.`, spanLoc(st, iw[0].start, iw[0].end), `${iw[0].text} errexit-ignored`);
      }
      if (!hits.length) continue;
      const loc = hits[0].loc;
      const tag = `${[...new Set(hits.map((x) => x.tool))].join(', ')}${ivia} inside ${o.label} in step \`${step.label}\``;
      if (iu.lost) {
        // `find … -exec trivy … \;`, `docker exec -d …`: the wrapper's status is never the scanner's
        addFlow('exit-suppressed', 'high', `${tag}: ${iu.lost.why}, so the scanner's failure can never fail the step.`, spanLoc(st, iu.lost.word.start, iu.lost.word.end), `${iu.lost.word.text} wrapper-lost`);
        continue;
      }
      let j = k;
      while (inner[j] && inner[j].sep === '|') j++;
      if (icond) {
        // `if scanner; then …` inside the string: judged by its branches, never the string's status
        if (!blockingText(bodyAfter(inner, j))) addFlow('exit-suppressed', 'high', `${tag} is the condition of \`${icond.text}\` and no branch fails (\`exit 1\`), so its failure is only reported and the scan can never block.`, spanLoc(st, icond.start, icond.end), `${icond.text}-condition`);
        continue;
      }
      if (ic.sep === '|' && !pf && !/PIPESTATUS/.test(inner.slice(k + 1).map(innerText).join('\n'))) {
        const op = opBefore(script, inner[k + 1], '|', ic.start);
        addFlow('exit-suppressed', 'high', `${tag} is piped into \`${inner[k + 1]?.words[0]?.text ?? '…'}\` without pipefail, so the status is the last command's and the scanner's failure is lost.`, spanLoc(st, op, op + 1), '| no-pipefail');
        continue;
      }
      let q = j;
      while (inner[q] && inner[q].sep === '&&') q++;
      const sep = inner[q]?.sep ?? '';
      // the next command that runs: after `esac` when the scanner ends a case branch (`a) trivy …;;`)
      let nxt = q + 1;
      if (inner[q + 1] && /;;/.test(script.slice(inner[q].words[inner[q].words.length - 1].end, inner[q + 1].start))) {
        let depth = 0;
        let e = q + 1;
        for (; e < inner.length; e++) {
          const w0 = inner[e].words[0]?.text;
          if (w0 === 'case') depth++;
          else if (w0 === 'esac') {
            if (depth === 0) break;
            depth--;
          }
        }
        nxt = e + 1;
      }
      nxt = skipClosers(inner, nxt);
      // inside a function body: its status is the function's, judged where it is called (not followed here)
      const fn = fns.find(([fa, fb]) => ic.start > fa && ic.start < fb);
      const endsFn = !!fn && (!inner[nxt] || inner[nxt].start > fn[1]);
      let fnEnd = inner.length;
      if (fn) for (let e = k; e < inner.length; e++) if (inner[e].start > fn[1]) {
        fnEnd = e;
        break;
      }
      const laterInner = inner.slice(nxt).map(innerText).join('\n');
      if (endsFn && sep !== '||' && sep !== '&') {
        const prior = fnCarriers.get(fn[2]) ?? [];
        fnCarriers.set(fn[2], [...prior, ...hits]);
        continue;
      } else if (sep === '' || !inner[nxt]) {
        res.push(...hits);
      } else if (sep === '||') {
        const nx = inner[q + 1];
        const restText = inner.slice(q + 1).map((x) => x.words.map((w) => w.text).join(' ')).join(' ; ');
        if (blockingText(restText) && !/^\s*(true|:)\b/.test(restText)) res.push(...hits);
        else {
          const w = nx.words.map((x) => x.text);
          const shown = w[0] === 'exit' ? `|| exit ${w[1] ?? ''}`.trim() : w[0] === 'true' || w[0] === ':' ? `|| ${w[0]}` : `|| ${w.slice(0, 2).join(' ')}`;
          const op = opBefore(script, nx, '||', ic.start);
          addFlow('exit-suppressed', 'high', `\`${shown}\` after ${tag} turns its failure into success, so the scan can never block.`, spanLoc(st, op, op + 2), shown);
        }
      } else if (sep === '&') {
        const op = opBefore(script, inner[q + 1], '&', ic.start);
        if (!/\bwait\s+(\$|%|-n|\d)/.test(laterInner)) addFlow('exit-suppressed', 'high', `${tag} runs in the background (\`&\`), so its failure can never fail the step.`, spanLoc(st, op, op + 1), '& background');
        else res.push(...hits);
      } else if (fn && errexit && !statusUsed(inner.slice(0, fnEnd), nxt, innerText, bodyAfter, errexit, fails) && !laterFails(inner.slice(nxt, fnEnd), fnFail)) {
        // inside a function under errexit, the status not used within it: errexit stops the script here, unless the
        // function is called as a condition
        fnErrexitOnly.set(fn[2], [...(fnErrexitOnly.get(fn[2]) ?? []), ...hits]);
        res.push(...hits);
      } else if (statusUsed(inner, nxt, innerText, bodyAfter, errexit, fails) || laterFails(inner.slice(nxt), fnFail)) {
        // `trivy …; rc=$?; …; exit $rc`: the script hands the status on
        res.push(...hits);
      } else if (!errexit && offBy && q === j) {
        // an explicit `set +e` in the string or script: reported at the scanner, like `set +e` in a step
        const offLine = spanLoc(st, offBy.words[0].start, offBy.words[0].end).line;
        addFlow('errexit-disabled', 'high', `\`set +e\` (line ${offLine}) is in force for ${tag}, and its exit status is never used to fail (${STATUS_REF.test(laterInner) ? 'it is read, but nothing fails on it' : 'no `$?` check'}): the commands after it run and the status is the last one's, so the scanner's failure is lost.`, loc, 'set +e');
      } else if (!errexit || q > j) {
        // `;` or a newline without errexit (bash's `$(…)`, a `sh -c` string without -e): the commands after
        // the scanner run and the status is the last one's (a failure inside an && list stops no shell)
        const at = sep === ';' ? opBefore(script, inner[q + 1], ';', ic.start) : -1;
        const where = at >= a && at < b ? spanLoc(st, at, at + 1) : loc;
        const why = q > j ? 'a failure inside an && list does not stop the shell' : o.kind === 'subst' ? 'bash runs `$(…)` without errexit (no `shopt -s inherit_errexit`)' : `${o.label} runs without errexit (no \`-e\`, no \`set -e\`)`;
        addFlow('exit-suppressed', 'high', `${tag} is followed by other commands: ${why}, so the status is the last command's and the scanner's failure is lost.`, where, o.kind === 'subst' ? 'subst not-last' : 'sh-c not-last');
      } else {
        res.push(...hits);
      }
    }
    return res;
  };
  if (sx.file && sx.shell) {
    // script mode: the file's commands, as a `bash -c` string with the script's own errexit/pipefail
    sx.carriers = innerScan(0, script.length, false, { kind: 'shell', errexit: sx.shell.errexit, pipefail: sx.shell.pipefail, bash: sx.shell.bash, timeout: !!sx.timeout, depth: 1, label: sx.label ?? `the script \`${sx.file.file}\`` });
    return substSeen;
  }
  const stepSubs = subshellRanges(script, 0, script.length);
  const stepFns = posix ? fnRanges(0, script.length) : [];
  const stepFnCarriers = new Map<string, { tool: string; loc: Loc }>();
  const stepScopes: Array<{ end: number; errexitOff?: Command; pipefail: boolean }> = [];
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    while (stepScopes.length && c.start > stepScopes[stepScopes.length - 1].end) ({ errexitOff, pipefail } = stepScopes.pop()!);
    const cw = commandWords(c);
    let timeoutWrapped = cw.timeoutWrapped;
    let words = cw.words;
    // control words: `if ! scanner; then …`, `elif scanner`, `then scanner`
    let cond: Word | undefined;
    while (words.length && /^(if|elif|while|until|then|do|else|!)$/.test(words[0].text)) {
      if (/^(if|elif|while|until)$/.test(words[0].text)) cond = words[0];
      words = words.slice(1);
    }
    if (words !== cw.words) {
      // `if ! out=$(scanner); then`: assignments and wrappers after the control words
      const again = commandWords({ ...c, words });
      words = again.words;
      timeoutWrapped = timeoutWrapped || again.timeoutWrapped;
    }
    const t = words.map((w) => w.text);
    if (t[0] === 'set') {
      // `( set +e; … )`: the subshell's options end with it
      const sub = innermost(stepSubs, c.start);
      if (sub && !stepScopes.some((x) => x.end === sub[1])) stepScopes.push({ end: sub[1], errexitOff, pipefail });
      const flags = t.slice(1).join(' ');
      if (/(^|\s)\+[a-zA-Z]*e/.test(flags) || /\+o errexit/.test(flags)) errexitOff = c;
      if (/(^|\s)-[a-zA-Z]*e/.test(flags) || /-o errexit/.test(flags)) errexitOff = undefined;
      if (/-o pipefail|-[a-zA-Z]*o\s+pipefail/.test(flags) || /(^|\s)-eo\s+pipefail/.test(flags)) pipefail = true;
      continue;
    }
    // command substitutions in any word of the command
    let carrier: { tool: string; loc: Loc } | undefined;
    if (posix) {
      const substs = c.words.flatMap((w) => findSubstitutions(script, w.start, w.end));
      const lastS = substs[substs.length - 1];
      for (const s of substs) {
        const holder = c.words.find((w) => w.start <= s.open && s.open < w.end);
        const name = holder ? /^([A-Za-z_]\w*)(\[[^\]]*\])?\+?=/.exec(holder.raw)?.[1] : undefined;
        const laterText = cmds.slice(i + 1).map(cmdText).join('\n');
        // the output decides, not the exit status: a variable holding the output that a later failing branch
        // reads, or a test of the output (`if [ -n "$(gitleaks …)" ]; then exit 1`, `[ -z "$(…)" ] || exit 1`)
        const isTest = !!words.length && /^(\[|\[\[|test)$/.test(words[0].text);
        const outputGated =
          (!!name && new RegExp(`\\$\\{?${name}\\b`).test(laterText) && blockingText(laterText)) ||
          (isTest && ((!!cond && blockingText(bodyAfter(cmds, i))) || ((c.sep === '||' || c.sep === '&&') && !!cmds[i + 1] && blockingText(cmdText(cmds[i + 1])))));
        for (const r of innerScan(s.a, s.b, outputGated)) {
          const tag = `${r.tool} inside \`$(…)\` in step \`${step.label}\``;
          if (outputGated) continue;
          if (!words.length) {
            // assignment-only command: its status is that of the LAST command substitution performed
            if (s === lastS) carrier = r;
            else add('exit-suppressed', 'high', `${tag} is not the last command substitution of this assignment: the assignment's status is the last substitution's, so the scanner's failure is lost.`, spanLoc(st, lastS.open, lastS.b + 1), 'subst not-last-assignment');
          } else if (/^(local|export|declare|typeset|readonly)$/.test(words[0].text)) {
            add('exit-suppressed', 'high', `\`${words[0].text}\` returns its own status (0), not that of ${tag}, so the scanner's failure is lost even under \`bash -e\` (and \`$?\` after it is \`${words[0].text}\`'s): assign on a line of its own (\`${words[0].text} x; x=$(…)\`).`, spanLoc(st, words[0].start, words[0].end), `${words[0].text}-subst`);
          } else {
            add('exit-suppressed', 'high', `the status of \`${words[0].text}\` is its own, not that of ${tag}, so the scanner's failure is lost: run the scanner as a command of its own (\`out=$(…)\` on a line of its own keeps its status).`, spanLoc(st, words[0].start, words[0].end), `${words[0].text}-subst`);
          }
        }
      }
    }
    const uw = posix && !carrier ? unwrap(words, expand) : { words, timeout: false, via: [] as string[], lost: undefined };
    words = uw.words;
    timeoutWrapped = timeoutWrapped || uw.timeout;
    const hit = toolOf(words, expand);
    let via = '`$(…)`';
    if (!hit && !carrier) {
      // `sh -c '…'`, `docker run … IMAGE bash -c "…"`: the string's own commands; the wrapper's status is the
      // string's, so a scanner whose status reaches its end is judged here like the wrapper
      const sc = posix ? shellCOf(words) : undefined;
      if (sc) {
        const r = shellScan(sc, false, timeoutWrapped, 1);
        if (r.length) {
          carrier = { tool: [...new Set(r.map((x) => x.tool))].join(', '), loc: r[0].loc };
          via = `\`${sc.bash ? 'bash' : 'sh'} -c\``;
        }
      } else {
        // `./scripts/scan.sh`, `bash scripts/scan.sh`: the script file, by its own shell's rules
        const rs = runScript(words, timeoutWrapped, { errexit: !errexitOff && !noErrexitShell, pipefail }, false) ?? runTask(words, timeoutWrapped, false, cmds.slice(0, i));
        if (rs && rs.carriers.length) {
          carrier = { tool: [...new Set(rs.carriers.map((x) => x.tool))].join(', '), loc: rs.loc };
          via = rs.via ?? `\`${rs.file}\``;
        } else if (rs && rs.tools.length) substSeen.push({ tool: [...new Set(rs.tools.map((x) => x.tool))].join(', '), loc: rs.loc, inner: true });
      }
    }
    // a call of a function of this step whose last command is a scanner: the call carries its status
    const fnCall = !hit && !carrier && words[0] ? stepFnCarriers.get(words[0].text) : undefined;
    if (fnCall) {
      carrier = fnCall;
      via = `function \`${words[0].text}\``;
    }
    if (!hit && !carrier) continue;
    // the scanner ends a function body: its status is the function's, judged where the function is called
    const inFn = stepFns.find(([fa, fb]) => c.start > fa && c.start < fb);
    if (inFn && !fnCall) {
      let q = i;
      while (cmds[q] && (cmds[q].sep === '|' || cmds[q].sep === '&&')) q++;
      const nx = skipClosers(cmds, q + 1);
      if (cmds[q] && cmds[q].sep !== '||' && cmds[q].sep !== '&' && (!cmds[nx] || cmds[nx].start > inFn[1])) {
        const toolsHere = hit ? hit.tool : carrier!.tool;
        if (hit) perTool(words, hit, timeoutWrapped, `${hit.tool} in step \`${step.label}\``);
        uses.push({ tool: toolsHere, loc: hit ? spanLoc(st, words[hit.at].start, words[hit.at].end) : carrier!.loc, cmd: c, words, st, timeoutWrapped, inner: true });
        stepFnCarriers.set(inFn[2], { tool: toolsHere, loc: hit ? spanLoc(st, words[hit.at].start, words[hit.at].end) : carrier!.loc });
        continue;
      }
    }
    let toolLoc: Loc;
    let tag: string;
    const runBy = uw.via.length ? ` (run by \`${uw.via.join(' → ')}\`)` : '';
    if (hit) {
      tag = `${hit.tool}${runBy} in step \`${step.label}\``;
      toolLoc = perTool(words, hit, timeoutWrapped, tag);
    } else {
      tag = `${carrier!.tool} (through ${via})${runBy} in step \`${step.label}\``;
      toolLoc = carrier!.loc;
    }
    uses.push({ tool: hit ? hit.tool : carrier!.tool, loc: toolLoc, cmd: c, words, st, timeoutWrapped, inner: !hit || !!uw.lost });
    if (uw.lost) {
      // `find … -exec trivy … \;`, `docker exec -d CONTAINER bandit …`: the wrapper's status is never the scanner's
      add('exit-suppressed', 'high', `${tag}: ${uw.lost.why}, so the scanner's failure can never fail the step.`, spanLoc(st, uw.lost.word.start, uw.lost.word.end), `${uw.lost.word.text} wrapper-lost`);
      continue;
    }
    let j = i;
    while (cmds[j] && cmds[j].sep === '|') j++;
    const last = cmds[j];
    // `if scanner; then …; fi` / `if ! scanner; then echo …; fi`: the condition's status never stops the script
    if (cond) {
      const body = bodyAfter(cmds, j);
      if (!blockingText(body)) {
        add('exit-suppressed', 'high', `${tag} is the condition of \`${cond.text}\` and no branch fails the step (\`exit 1\`), so its failure is only reported and the scan can never block.`, spanLoc(st, cond.start, cond.end), `${cond.text}-condition`);
      }
    }
    // `scanner &` in the background: nobody waits for its status
    if (!cond && last && last.sep === '&') {
      const later = cmds.slice(j + 1).map(cmdText).join('\n');
      if (!/\bwait\s+(\$|%|-n|\d)/.test(later)) {
        const op = opBefore(script, cmds[j + 1], '&', c.start);
        add('exit-suppressed', 'high', `${tag} runs in the background (\`&\`) and nothing waits for its exit status (\`wait $!\`), so its failure can never fail the step.`, spanLoc(st, op, op + 1), '& background');
      }
    }
    // `scanner && echo ok` followed by more commands: bash -e does not stop on a failure inside an && list
    if (!cond && last && last.sep === '&&' && !errexitOff && !noErrexitShell) {
      let k = j;
      while (cmds[k] && (cmds[k].sep === '&&' || cmds[k].sep === '||' || cmds[k].sep === '|')) k++;
      const restOfList = cmds.slice(j + 1, k + 1).map(cmdText).join('\n');
      const after = cmds.slice(k + 1);
      const checked = statusUsed(cmds, k + 1, cmdText, bodyAfter, true, fails) || laterFails(after, fnFail);
      if (after.length && !checked && !blockingText(restOfList)) {
        const op = opBefore(script, cmds[j + 1], '&&', c.start);
        add('exit-suppressed', 'high', `${tag} is followed by \`&&\` and more commands: \`bash -e\` does not stop on a failure inside an && list, so the script carries on and the step succeeds when the scanner fails.`, spanLoc(st, op, op + 2), '&& not-last');
      }
    }
    // `tool … || true` / `|| exit 0` / `|| echo …`
    if (!cond && last && last.sep === '||') {
      const nx = cmds[j + 1];
      const rest = cmds.slice(j + 1).filter((x, idx, arr) => idx === 0 || arr[idx - 1].sep === '||' || arr[idx - 1].sep === '&&' || arr[idx - 1].sep === '|' || arr[idx - 1].sep === ';' && x.start - arr[idx - 1].start < 200);
      const restText = rest.map((x) => x.words.map((w) => w.text).join(' ')).join(' ; ');
      const blocks = blockingText(restText.split(/\n/)[0]) && !/^\s*(true|:)\b/.test(restText);
      // `scanner || rc=$?` … `exit $rc`: the status is captured and handed on later
      const cap = nx ? /^([A-Za-z_]\w*)=\$\?$/.exec(nx.words[0]?.text ?? '') : null;
      const handedOn = !!cap && statusUsed(cmds, j + 1, cmdText, bodyAfter, !errexitOff && !noErrexitShell, fails);
      if (nx && !blocks && !handedOn) {
        const w = nx.words.map((x) => x.text);
        const shown = w[0] === 'exit' ? `|| exit ${w[1] ?? ''}`.trim() : w[0] === 'true' || w[0] === ':' ? `|| ${w[0]}` : `|| ${w.slice(0, 2).join(' ')}`;
        const op = opBefore(script, nx, '||', c.start);
        add('exit-suppressed', 'high', `\`${shown}\` after ${tag} turns its failure into success, so the scan can never block.`, spanLoc(st, op, op + 2), shown);
      }
    }
    // `tool ; exit 0`
    if (!cond && last && last.sep === ';') {
      const nx = cmds[j + 1];
      const w = nx?.words.map((x) => x.text) ?? [];
      if (w[0] === 'exit' && w[1] === '0') {
        const op = opBefore(script, nx, ';', c.start);
        add('exit-suppressed', 'high', `\`; exit 0\` after ${tag} ends the step with success whenever the scanner's failure does not stop the script first (set +e, a shell without -e, pwsh), so the scan cannot be relied on to block.`, spanLoc(st, op, op + 1), '; exit 0');
      }
    }
    // a pipe without pipefail hides the scanner's exit status
    if (!cond && c.sep === '|' && !pipefail && !/PIPESTATUS|pipestatus/.test(cmds.slice(i + 1).map(cmdText).join('\n'))) {
      const nx = cmds[i + 1];
      const op = opBefore(script, nx, '|', c.start);
      add('exit-suppressed', 'high', `${tag} is piped into \`${nx?.words[0]?.text ?? '…'}\` in a shell without pipefail (\`${shell || 'bash -e {0}, the default'}\`), so the step's status is the last command's and the scanner's failure is lost: set \`shell: bash\` or \`set -o pipefail\`.`, spanLoc(st, op, op + 1), '| no-pipefail');
    }
    // set +e with no later check
    if (cond) {
      // handled above
    } else if (errexitOff && last && last.sep !== '||' && last.sep !== '&') {
      // the && list holding the scanner: its status is the list's
      let q = j;
      while (cmds[q] && cmds[q].sep === '&&') q++;
      const later = cmds.slice(skipClosers(cmds, q + 1));
      const laterText = later.map(cmdText).join('\n');
      // the status is read and used to fail (`rc=$?` … `exit $rc`), or the output decides later (`exit 1`)
      const checked = statusUsed(cmds, skipClosers(cmds, q + 1), cmdText, bodyAfter, false, fails) || laterFails(later, fnFail);
      if (!checked && later.length) {
        const ew = errexitOff.words[0];
        const offLine = spanLoc(st, ew.start, ew.end).line;
        const read = STATUS_REF.test(laterText) ? ' (its status is read, `$?`, but nothing fails on it: no `exit $rc`, no failing branch)' : ' (no `$?` check)';
        add('errexit-disabled', 'high', `\`set +e\` (line ${offLine}) is in force for ${tag}, and its exit status is never used to fail the step${read}: the script carries on and the step succeeds even when the scanner fails. Capture \`rc=$?\` and \`exit "$rc"\` after reporting.`, toolLoc, 'set +e');
      }
    } else if (noErrexitShell && (!last || (last.sep !== '||' && last.sep !== '&'))) {
      const later = cmds.slice(skipClosers(cmds, j + 1));
      const laterText = later.map(cmdText).join('\n');
      const checked = posix
        ? statusUsed(cmds, skipClosers(cmds, j + 1), cmdText, bodyAfter, false, fails) || laterFails(later, fnFail) || /\bset\s+-[a-zA-Z]*e|errexit/.test(laterText) || (last && last.sep === '&&' && blockingText(laterText))
        : /\$\?|PIPESTATUS|LASTEXITCODE|ERRORLEVEL|PSNativeCommandUseErrorActionPreference|\bset\s+-[a-zA-Z]*e|errexit|\bexit\s+\$|\bexit\s+[1-9]|\bthrow\b/i.test(laterText) || (last && last.sep === '&&' && blockingText(laterText));
      if (!checked && later.length) {
        const shellNode = mapGet(m.doc!, step.node, 'shell');
        const where = shellNode ? nodeLoc(m.p, shellNode) : toolLoc;
        const sh = shell || 'pwsh (the Windows default)';
        add('errexit-disabled', 'high', `\`${sh}\` does not stop at a failing command and the step's status is the last command's, so ${tag}, followed by other commands with no check of its status (\`$?\`, \`$LASTEXITCODE\`), can never fail the step.`, where, `shell ${sh}`);
      }
    }
  }
  for (const u of substSeen) if (!uses.some((x) => x.loc.line === u.loc.line && x.loc.column === u.loc.column)) uses.push(u);
  return uses;
}

/** Looks up a local action (`uses: ./path`) of the repository a workflow or action belongs to. */
export type LocalActionResolver = (from: WorkflowModel, uses: string) => WorkflowModel | undefined;

/** Scanners a local composite action runs (its own steps, and local actions it uses, depth-limited). */
function toolsOfAction(am: WorkflowModel, resolve: LocalActionResolver | undefined, depth: number): string[] {
  const tools: string[] = [];
  for (const job of am.jobs) {
    for (const step of job.steps) {
      if (step.run) tools.push(...analyzeStepScript(am, job, step, [], job.key).map((u) => u.tool));
      if (step.uses) {
        const { name } = splitUses(step.uses);
        const hit = ACTION_TOOLS.find((a) => a.re.test(name));
        if (hit) tools.push(hit.tool);
        else if (step.uses.startsWith('docker://')) {
          const t = imageTool(step.uses.slice('docker://'.length));
          if (t) tools.push(t);
        } else if (step.uses.startsWith('./') && resolve && depth < 3) {
          const inner = resolve(am, step.uses);
          if (inner && inner.kind === 'action') tools.push(...toolsOfAction(inner, resolve, depth + 1));
        }
      }
    }
  }
  return [...new Set(tools)];
}

type MatrixCombo = Record<string, unknown>;

/** The combinations of a literal `strategy.matrix` (product of the lists, then include/exclude); undefined when it is an expression. */
function expandMatrix(m: WorkflowModel, job: Job): MatrixCombo[] | undefined {
  const strategy = mapGet(m.doc!, job.node, 'strategy');
  const matrix = strategy ? mapGet(m.doc!, strategy, 'matrix') : null;
  if (!matrix || !isMap(matrix)) return undefined;
  const raw = (matrix as unknown as { toJSON(): unknown }).toJSON() as Record<string, unknown>;
  let combos: MatrixCombo[] = [{}];
  const base: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'include' || k === 'exclude') continue;
    if (!Array.isArray(v)) return undefined; // `os: ${{ fromJSON(…) }}`
    base.push(k);
    combos = combos.flatMap((c) => v.map((x) => ({ ...c, [k]: x })));
  }
  if (!base.length) combos = [];
  const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const exclude = raw.exclude;
  if (Array.isArray(exclude)) combos = combos.filter((c) => !exclude.some((e) => e && typeof e === 'object' && Object.entries(e).every(([k, v]) => eq(c[k], v))));
  else if (exclude !== undefined) return undefined;
  const include = raw.include;
  if (Array.isArray(include)) {
    const original = combos.length;
    for (const inc of include) {
      if (!inc || typeof inc !== 'object') return undefined;
      const entries = Object.entries(inc as Record<string, unknown>);
      let matched = false;
      // an include entry extends every original combination whose original values it does not overwrite
      // (values added by an earlier include may be overwritten); otherwise it is a combination of its own
      for (const c of combos.slice(0, original)) {
        if (entries.every(([k, v]) => !base.includes(k) || eq(c[k], v))) {
          for (const [k, v] of entries) if (!base.includes(k)) c[k] = v;
          matched = true;
        }
      }
      if (!matched) combos.push({ ...(inc as MatrixCombo) });
    }
  } else if (include !== undefined) return undefined;
  return combos;
}

/** Value of a simple matrix expression for one combination: `matrix.k`, `!matrix.k`, `matrix.k == lit`, `matrix.k != lit`; undefined when not that shape. */
function matrixExpr(text: string, combo: MatrixCombo): boolean | undefined {
  const x = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  const mm = /^(!)?\s*matrix\.([\w-]+)\s*(?:(==|!=)\s*(true|false|null|-?\d+(?:\.\d+)?|'[^']*'))?$/.exec(x);
  if (!mm) return undefined;
  const v = combo[mm[2]] ?? null;
  const truthy = (a: unknown) => !(a === false || a === null || a === 0 || a === '' || a === undefined);
  if (!mm[3]) return mm[1] ? !truthy(v) : truthy(v);
  const lit = mm[4].startsWith("'") ? mm[4].slice(1, -1) : JSON.parse(mm[4]);
  // GitHub compares loosely: strings case-insensitively, mixed types as numbers
  const num = (a: unknown) => (a === null ? 0 : typeof a === 'boolean' ? Number(a) : typeof a === 'number' ? a : String(a).trim() === '' ? 0 : Number(a));
  const same = typeof v === 'string' && typeof lit === 'string' ? v.toLowerCase() === lit.toLowerCase() : typeof v === typeof lit ? v === lit : num(v) === num(lit);
  const r = mm[3] === '==' ? same : !same;
  return mm[1] ? !r : r;
}

const NON_BLOCKING_RULES = new Set(['continue-on-error', 'exit-suppressed', 'errexit-disabled']);

/** Report files a scanner step writes (`-o F`, `--output=F`, `--sarif-file-output=F`, `> F`, `| tee F`, `output:` inputs); basenames of 4+ characters. */
function reportFiles(step: Step, uses: ToolUse[]): string[] {
  const files: string[] = [];
  const OUT = /^(-o|--output|--output-file|--out|-out|--report|--report-path|--output-file-path|--sarif-file-output|--json-file-output|--sarif-output|--json-output|--output-path)$/;
  for (const u of uses) {
    const w = (u.words ?? []).map((x) => x.text);
    for (let k = 0; k < w.length; k++) {
      const eq = /^(--?[\w-]+)=(.+)$/.exec(w[k]);
      if (eq && OUT.test(eq[1])) files.push(eq[2]);
      else if (OUT.test(w[k]) && w[k + 1]) files.push(w[k + 1]);
    }
    if (u.cmd && u.st) {
      const rest = u.st.value.slice(u.cmd.start).split('\n')[0];
      for (const mm of rest.matchAll(/(?:>>?|\btee\s+(?:-a\s+)?)\s*"?([^\s";|&]+)/g)) files.push(mm[1]);
    }
  }
  if (step.uses) for (const [k, v] of step.with) if (/output|sarif|report|file/i.test(k) && !/format|type|dir/i.test(k)) files.push(v.value.trim());
  return [...new Set(files.map((f) => f.replace(/^.*\//, '')).filter((f) => f.length >= 4 && !/^[$&]/.test(f) && !/\$\{\{/.test(f) && f !== 'null'))];
}

/** `cosign verify-blob` → `cosign`, `npm audit` stays */
function baseTool(tool: string): string {
  return tool.startsWith('cosign ') ? 'cosign' : tool.replace(/ \(in .*\)$/, '');
}

/**
 * Whether a scanner run is configured to fail on findings (ignoring how its status is then handled): tools
 * that exit 0 on findings by default need the opt-in (trivy `--exit-code N`, grype `--fail-on`, `semgrep ci`
 * or `--error`, trufflehog `--fail`, govulncheck/zizmor in text mode); an explicit opt-out never blocks.
 */
function blocksByConfig(t: ToolUse, step: Step): boolean {
  const tool = baseTool(t.tool);
  if (t.words) {
    const w = t.words.map((x) => x.text);
    if (suppressFlags(t.words, 0, tool).length) return false;
    const has = (re: RegExp) => w.some((x) => re.test(x));
    const val = (name: string) => {
      const i = w.indexOf(name);
      if (i >= 0) return w[i + 1];
      const e = w.find((x) => x.startsWith(`${name}=`));
      return e?.slice(name.length + 1);
    };
    if (tool === 'trivy') return /^[1-9]\d*$/.test(val('--exit-code') ?? '');
    if (tool === 'grype') return !!(val('--fail-on') ?? val('-f'));
    if (tool === 'semgrep') return w.includes('ci') || has(/^--error$/);
    if (tool === 'trufflehog') return has(/^--fail$/);
    if (tool === 'govulncheck') return !/^(json|sarif|openvex)$/.test(val('-format') ?? val('--format') ?? '');
    if (tool === 'zizmor') return !/^sarif$/.test(val('--format') ?? '');
    return true;
  }
  if (step.uses && !step.uses.startsWith('docker://') && !step.uses.startsWith('./')) {
    const input = (k: string) => step.with.get(k)?.value.trim();
    for (const o of ACTION_OPT_OUTS) if (o.tool === tool && o.bad.test(input(o.input) ?? '') && !(tool === 'checkov' && input('hard_fail_on'))) return false;
    if (tool === 'trivy') return /^[1-9]\d*$/.test(input('exit-code') ?? '');
    if (tool === 'zizmor') return /^false$/i.test(input('advanced-security') ?? '');
    if (tool === 'govulncheck') return !/^(json|sarif)$/.test(input('output-format') ?? '');
    return true;
  }
  return false;
}

/**
 * `continue-on-error: true` on a scanner step whose failure a later step of the job turns back into a failed
 * job (the "let the SARIF upload run, then fail" pattern): a step that reads `steps.<id>.outcome` (in `if:`,
 * `env:`, `run:` or `with:`) and fails (`exit 1`, `false`, `core.setFailed`).
 */
function outcomeGated(m: WorkflowModel, job: Job, step: Step): boolean {
  if (!step.id) return false;
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const ref = new RegExp(`steps\\.${esc(step.id)}\\.outcome\\b`);
  const failsOn = (steps: Step[], re: RegExp, jobIf = '') =>
    steps.some((s) => {
      const text = [jobIf, s.ifText ?? '', s.run?.value ?? '', ...[...s.env.values()].map((v) => v.value), ...[...s.with.values()].map((v) => v.value)].join('\n');
      if (!re.test(text)) return false;
      const body = [s.run?.value ?? '', s.with.get('script')?.value ?? ''].join('\n');
      return /\bexit\s+([1-9]|"?\$)|(^|[\s;&|])false\b|\bsetFailed\b|\bthrow\b/.test(body);
    });
  if (failsOn(job.steps.slice(step.index + 1), ref)) return true;
  // exported as a job output (`outputs: {scan: ${{ steps.scan.outcome }}}`) and failed on by a later job
  // (`if: needs.scan.outputs.scan == 'failure'` + `exit 1`)
  if (!m.doc) return false;
  const names = mapEntries(m.doc, mapGet(m.doc, job.node, 'outputs'))
    .filter((e) => ref.test(scalarString(m.doc!, e.value) ?? ''))
    .map((e) => e.key);
  if (!names.length) return false;
  const out = new RegExp(`needs\\.${esc(job.key)}\\.outputs\\.(${names.map(esc).join('|')})\\b`);
  return m.jobs.some((j2) => j2 !== job && failsOn(j2.steps, out, j2.ifText ?? ''));
}

export function analyzeIntegrity(m: WorkflowModel, fp: Fingerprinter, resolveLocal?: LocalActionResolver, resolveScript?: ScriptResolver): Finding[] {
  const out: RawFinding[] = [];
  for (const job of m.jobs) {
    const jobLabel = job.key;
    const jobTools: string[] = [];
    const scannerSteps: Array<{ step: Step; tools: string[] }> = [];
    const jobStart = out.length;
    /** per step: the tools it runs, and those run in a configuration that blocks on findings */
    const stepRecs: Array<{ step: Step; uses: ToolUse[]; from: number; to: number }> = [];
    for (const step of job.steps) {
      const from = out.length;
      const tools: ToolUse[] = [];
      stepRecs.push({ step, uses: tools, from, to: from });
      if (step.run) tools.push(...analyzeStepScript(m, job, step, out, jobLabel, { resolve: resolveScript, depth: 0, chain: [] }));
      if (step.uses && step.usesNode && step.uses.startsWith('docker://')) {
        // `uses: docker://aquasec/trivy:0.50` runs the image with `with.args` as its arguments
        const image = step.uses.slice('docker://'.length);
        const ep = step.with.get('entrypoint')?.value.trim().replace(/^.*\//, '');
        const args = step.with.get('args');
        const st = args ? scalarText(m.p, args.node) : undefined;
        const words = st ? tokenizeShell(st.value).flatMap((c) => c.words) : [];
        let tool = ep && CLI_TOOLS.has(ep) ? ep : imageTool(image);
        const w0 = words[0]?.text === tool ? 1 : 0;
        if (tool && (tool === 'cosign' || tool === 'slsa-verifier') && !/^verify/.test(words[w0]?.text ?? '')) tool = undefined;
        if (tool === 'cosign') tool = `cosign ${words[w0].text}`;
        if (tool) {
          tools.push({ tool, loc: nodeLoc(m.p, step.usesNode) });
          for (const { flag, k } of suppressFlags(words, 0, tool)) {
            out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${flag}\` in \`args\` makes ${tool} (image ${image}) exit 0 whatever it finds, so the scan can never block.`, loc: spanLoc(st!, words[k].start, words[k].end), token: flag, job: jobLabel, step: step.label });
          }
          if (isVerifier(tool) && !step.timeoutMinutes && !job.timeoutMinutes) {
            out.push({ rule: 'verifier-no-timeout', severity: 'medium', message: `${tool} (image ${image}) in step \`${step.label}\` runs with no time limit (no \`timeout-minutes\`): a hung verifier holds the job for up to 6 hours instead of failing fast.`, loc: nodeLoc(m.p, step.usesNode), token: tool, job: jobLabel, step: step.label });
          }
        }
      } else if (step.uses && step.usesNode && step.uses.startsWith('./') && resolveLocal && !/^\.\/.*chaingate|^\.\/actions\/(pin-lint|prt-guard|gate-integrity|verify-|bandit-gate)/.test(step.uses)) {
        // a composite action of this repository: its own run steps are judged when the action file is
        // scanned; here it counts as a scanner step for continue-on-error / if: false on the calling step and job
        const am = resolveLocal(m, step.uses);
        if (am && am.kind === 'action') {
          const inner = toolsOfAction(am, resolveLocal, 1);
          if (inner.length) tools.push({ tool: `${inner.join(', ')} (in ${step.uses})`, loc: nodeLoc(m.p, step.usesNode) });
        }
      } else if (step.uses && step.usesNode) {
        const { name } = splitUses(step.uses);
        const hit = ACTION_TOOLS.find((a) => a.re.test(name)) ?? (/^\.\/.*chaingate|^\.\/actions\/(pin-lint|prt-guard|gate-integrity|verify-|bandit-gate)/.test(step.uses) ? { tool: 'chaingate' } : undefined);
        if (hit) {
          tools.push({ tool: hit.tool, loc: nodeLoc(m.p, step.usesNode) });
          for (const o of ACTION_OPT_OUTS) {
            const v = step.with.get(o.input);
            // checkov-action `soft_fail: true` with `hard_fail_on:` still fails on the listed checks/severities
            if (o.tool === 'checkov' && step.with.get('hard_fail_on')?.value.trim()) continue;
            if (o.tool === hit.tool && v && o.bad.test(v.value.trim())) {
              out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${o.input}: ${v.value.trim()}\` makes ${step.uses.split('@')[0]} succeed whatever it finds, so the scan can never block.`, loc: nodeLoc(m.p, v.node), token: `${o.input}:${v.value}`, job: jobLabel, step: step.label });
            }
          }
          for (const [k, v] of step.with) {
            const mm = /(^|\s)(--exit-zero|--soft-fail|--no-fail|-no-fail|--no-exit-codes)(?=\s|$)/.exec(v.value);
            if (mm && /args|flags|options/i.test(k)) out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${mm[2]}\` in \`${k}\` makes ${step.uses.split('@')[0]} exit 0 whatever it finds, so the scan can never block.`, loc: nodeLoc(m.p, v.node), token: mm[2], job: jobLabel, step: step.label });
          }
        }
      }
      if (!tools.length) continue;
      jobTools.push(...tools.map((t) => t.tool));
      scannerSteps.push({ step, tools: tools.map((t) => t.tool) });

      const names = [...new Set(tools.map((t) => t.tool))].join(', ');
      if (step.continueOnError && LITERAL_TRUE.test(step.continueOnError.value.trim()) && !outcomeGated(m, job, step)) {
        out.push({ rule: 'continue-on-error', severity: 'high', message: `\`continue-on-error: true\` on step \`${step.label}\` lets the job pass when ${names} fails, so the check exists but never blocks.`, loc: nodeLoc(m.p, step.continueOnError.node), token: 'continue-on-error', job: jobLabel, step: step.label });
      }
      if (step.ifText !== undefined && step.ifNode && LITERAL_FALSE.test(step.ifText.trim())) {
        out.push({ rule: 'disabled-gate', severity: 'high', message: `\`if: ${step.ifText.trim()}\` disables step \`${step.label}\`, so ${names} never runs.`, loc: nodeLoc(m.p, step.ifNode), token: 'if-false', job: jobLabel, step: step.label });
      }
    }
    // the "report, then gate" pattern: a non-blocking run of a scanner (`--exit-code 0` + SARIF upload,
    // continue-on-error) beside a blocking run of the same scanner in the same job (`--exit-code 1 --severity
    // CRITICAL`): the job still blocks on the tool, so the lenient run is not a gap
    for (let k = 0; k < stepRecs.length; k++) stepRecs[k].to = stepRecs[k + 1]?.from ?? out.length;
    const blockingTools = new Set<string>();
    for (const r of stepRecs) {
      const fs = out.slice(r.from, r.to);
      // the whole step is lenient (continue-on-error, set +e, if: false, an action input) …
      if (fs.some((f) => (NON_BLOCKING_RULES.has(f.rule) && !r.step.run) || (NON_BLOCKING_RULES.has(f.rule) && f.rule !== 'exit-suppressed') || f.rule === 'disabled-gate') || r.step.continueOnError) continue;
      for (const u of r.uses) {
        if (u.inner || !blocksByConfig(u, r.step)) continue;
        // … or this one command (`|| true`, a pipe, `--exit-code 0`) on the lines of the command
        if (u.cmd && u.st) {
          // from the command's first word through the operator after it (`\\` continuations included)
          const text = u.st.value;
          let e = u.cmd.words[u.cmd.words.length - 1].end;
          while (e < text.length && /[\s\\|&;]/.test(text[e])) e++;
          const span = spanLoc(u.st, u.cmd.start, Math.max(u.cmd.start + 1, e));
          const before = (a: Loc, b: { line: number; column: number }) => a.line < b.line || (a.line === b.line && a.column <= b.column);
          const end = { line: span.endLine ?? span.line, column: span.endColumn ?? span.column };
          if (fs.some((f) => before(span, f.loc) && before(f.loc, end))) continue;
        }
        blockingTools.add(baseTool(u.tool));
      }
    }
    const drop = new Set<RawFinding>();
    // a lenient scanner step whose report a later step of the job reads and fails on (`jq … trivy.json`,
    // `exit 1`): the gate is that later step
    for (let k = 0; k < stepRecs.length; k++) {
      const r = stepRecs[k];
      if (!r.uses.length || !out.slice(r.from, r.to).some((f) => NON_BLOCKING_RULES.has(f.rule))) continue;
      const files = reportFiles(r.step, r.uses);
      if (!files.length) continue;
      const gated = stepRecs.slice(k + 1).some((l) => {
        const body = [l.step.run?.value ?? '', l.step.with.get('script')?.value ?? ''].join('\n');
        return files.some((f) => body.includes(f)) && /\bexit\s+([1-9]|"?\$)|(^|[\s;&|])false\b|\bsetFailed\b|\bthrow\b/.test(body);
      });
      if (gated) for (const f of out.slice(r.from, r.to)) if (NON_BLOCKING_RULES.has(f.rule)) drop.add(f);
    }
    if (blockingTools.size) {
      for (const r of stepRecs) {
        const tools = new Set(r.uses.map((u) => baseTool(u.tool)));
        if (!tools.size || ![...tools].every((t) => blockingTools.has(t))) continue;
        for (const f of out.slice(r.from, r.to)) if (NON_BLOCKING_RULES.has(f.rule)) drop.add(f);
      }
    }
    for (let k = out.length - 1; k >= jobStart; k--) if (drop.has(out[k])) out.splice(k, 1);
    // a reusable workflow of a scanner called as a job (`uses: google/osv-scanner-action/.github/workflows/
    // osv-scanner-reusable.yml@v2`): its "never fail" input, and if: false on the job
    if (job.uses && job.usesNode && m.kind === 'workflow') {
      const { name } = splitUses(job.uses);
      const hit = ACTION_TOOLS.find((a) => a.re.test(name));
      if (hit) {
        jobTools.push(hit.tool);
        for (const o of ACTION_OPT_OUTS) {
          const v = job.with.get(o.input);
          if (o.tool === hit.tool && v && o.bad.test(v.value.trim())) {
            out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${o.input}: ${v.value.trim()}\` makes ${job.uses.split('@')[0]} succeed whatever it finds, so the scan can never block.`, loc: nodeLoc(m.p, v.node), token: `${o.input}:${v.value}`, job: jobLabel, step: '' });
          }
        }
      }
    }
    if (!jobTools.length || m.kind !== 'workflow') continue;
    const names = [...new Set(jobTools)].join(', ');
    if (job.continueOnError && LITERAL_TRUE.test(job.continueOnError.value.trim())) {
      out.push({ rule: 'continue-on-error', severity: 'high', message: `\`continue-on-error: true\` on job \`${job.key}\` lets the workflow pass when ${names} fails, so the check exists but never blocks.`, loc: nodeLoc(m.p, job.continueOnError.node), token: 'continue-on-error', job: jobLabel, step: '' });
    } else if (job.continueOnError && /matrix\./.test(job.continueOnError.value)) {
      // `continue-on-error: ${{ matrix.experimental }}`: a scanner step that runs only in combinations where
      // this is true never blocks; one that also runs in a blocking combination still blocks there
      const combos = expandMatrix(m, job);
      const coe = job.continueOnError;
      if (combos && combos.length) {
        for (const { step, tools } of scannerSteps) {
          const runsIn = combos.filter((c) => (step.ifText === undefined ? true : matrixExpr(step.ifText, c) ?? true));
          const lenient = runsIn.map((c) => matrixExpr(coe.value, c));
          if (runsIn.length && lenient.every((v) => v === true)) {
            const which = runsIn.length === combos.length ? 'in every matrix combination' : `in every combination where step \`${step.label}\` runs (\`if: ${step.ifText?.trim()}\`)`;
            out.push({ rule: 'continue-on-error', severity: 'high', message: `\`continue-on-error: ${coe.value.trim()}\` is true ${which}, so ${[...new Set(tools)].join(', ')} in job \`${job.key}\` never blocks.`, loc: nodeLoc(m.p, coe.node), token: `continue-on-error-matrix:${step.label}`, job: jobLabel, step: step.label });
          }
        }
      }
    }
    if (job.ifText !== undefined && job.ifNode && LITERAL_FALSE.test(job.ifText.trim())) {
      out.push({ rule: 'disabled-gate', severity: 'high', message: `\`if: ${job.ifText.trim()}\` disables job \`${job.key}\`, so ${names} never runs.`, loc: nodeLoc(m.p, job.ifNode), token: 'if-false', job: jobLabel, step: '' });
    }
  }
  // a script run by several steps: its findings once, for the first step that runs it
  const seen = new Set<string>();
  const kept = out.filter((r) => {
    if (!r.file) return true;
    const key = `${r.rule} ${r.file}:${r.loc.line}:${r.loc.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept.map((r) => ({
    rule: r.rule,
    severity: r.severity,
    message: r.message,
    file: r.file ?? m.file,
    ...r.loc,
    fingerprint: fp.make(r.rule, r.file ?? m.file, r.token, `${r.job}/${r.step}`),
    properties: { job: r.job, step: r.step },
  }));
}
