// gate-integrity: security scanners and verifiers wired so that they can never block the pipeline.
import type { Finding, Severity } from '../../core/types.js';
import type { Fingerprinter } from '../../core/fingerprint.js';
import { nodeLoc, spanLoc, splitUses, type Job, type Loc, type Step, type WorkflowModel } from '../prt-guard/model.js';
import { commandWords, tokenizeShell, type Command, type Word } from '../prt-guard/shell.js';
import type { ScalarText } from '../prt-guard/scalar.js';
import { mapGet } from '../../core/yaml.js';

const CLI_TOOLS = new Set(['bandit', 'semgrep', 'trivy', 'grype', 'checkov', 'gitleaks', 'trufflehog', 'zizmor', 'pip-audit', 'osv-scanner', 'slsa-verifier', 'cosign', 'chaingate']);
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
];

export interface ToolUse {
  tool: string;
  loc: Loc;
  /** for run steps: the command and its script */
  cmd?: Command;
  words?: Word[];
  st?: ScalarText;
  timeoutWrapped?: boolean;
}

function toolOf(words: Word[]): { tool: string; at: number } | undefined {
  const t = words.map((w) => w.text);
  let k = 0;
  // launchers
  if (t[0] === 'npx' || t[0] === 'pnpx' || t[0] === 'uvx' || t[0] === 'bunx') k = 1;
  else if ((t[0] === 'pipx' || t[0] === 'uv' || t[0] === 'poetry' || t[0] === 'pdm' || t[0] === 'hatch' || t[0] === 'pipenv') && t[1] === 'run') k = 2;
  else if ((t[0] === 'pnpm' || t[0] === 'yarn') && (t[1] === 'dlx' || t[1] === 'exec')) k = 2;
  else if (t[0] === 'npm' && t[1] === 'exec') k = 2;
  while (k < t.length && k > 0 && t[k].startsWith('-')) k++;
  if (/^python[\d.]*$/.test(t[0] ?? '') && t[1] === '-m' && MODULE_TOOLS[t[2]]) return { tool: MODULE_TOOLS[t[2]], at: 0 };
  if ((t[0] === 'npm' || t[0] === 'pnpm' || t[0] === 'yarn') && t[1] === 'audit' && t[2] !== 'fix') return { tool: `${t[0]} audit`, at: 0 };
  const name = (t[k] ?? '').replace(/^.*\//, '').replace(/@.*$/, '');
  if (!CLI_TOOLS.has(name)) return undefined;
  if (name === 'cosign' && !/^verify/.test(t[k + 1] ?? '')) return undefined;
  if (name === 'slsa-verifier' && !/^verify/.test(t[k + 1] ?? '')) return undefined;
  return { tool: name === 'cosign' ? `cosign ${t[k + 1]}` : name, at: k };
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
}

/** Offset of the operator that precedes command `next` in the script. */
function opBefore(script: string, next: Command | undefined, op: string, from: number): number {
  const end = next ? next.start : script.length;
  const i = script.lastIndexOf(op, end);
  return i >= from ? i : end;
}

function analyzeStepScript(m: WorkflowModel, job: Job, step: Step, out: RawFinding[], jobLabel: string): ToolUse[] {
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
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    const cw = commandWords(c);
    const timeoutWrapped = cw.timeoutWrapped;
    let words = cw.words;
    // control words: `if ! scanner; then …`, `elif scanner`, `then scanner`
    let cond: Word | undefined;
    while (words.length && /^(if|elif|while|until|then|do|else|!)$/.test(words[0].text)) {
      if (/^(if|elif|while|until)$/.test(words[0].text)) cond = words[0];
      words = words.slice(1);
    }
    const t = words.map((w) => w.text);
    if (t[0] === 'set') {
      const flags = t.slice(1).join(' ');
      if (/(^|\s)\+[a-zA-Z]*e/.test(flags) || /\+o errexit/.test(flags)) errexitOff = c;
      if (/(^|\s)-[a-zA-Z]*e/.test(flags) || /-o errexit/.test(flags)) errexitOff = undefined;
      if (/-o pipefail|-[a-zA-Z]*o\s+pipefail/.test(flags) || /(^|\s)-eo\s+pipefail/.test(flags)) pipefail = true;
      continue;
    }
    const hit = toolOf(words);
    if (!hit) continue;
    const tw = words[hit.at];
    const toolLoc = spanLoc(st, tw.start, tw.end);
    const use: ToolUse = { tool: hit.tool, loc: toolLoc, cmd: c, words, st, timeoutWrapped };
    uses.push(use);
    const tag = `${hit.tool} in step \`${step.label}\``;
    const add = (rule: string, severity: Severity, message: string, loc: Loc, token: string) => out.push({ rule, severity, message, loc, token, job: jobLabel, step: step.label });
    // flags that turn findings into success
    for (let k = hit.at + 1; k < words.length; k++) {
      const w = words[k].text;
      const next = words[k + 1]?.text;
      let flag: string | undefined;
      if (w === '--exit-zero' || w === '--soft-fail' || w === '--no-fail' || w === '--exit-zero-on-findings') flag = w;
      else if (/^--exit-code=0$/.test(w) || (w === '--exit-code' && next === '0')) flag = '--exit-code 0';
      else if (/^--fail-on=(none|never)$/.test(w) || (w === '--fail-on' && /^(none|never)$/.test(next ?? ''))) flag = `--fail-on ${w.includes('=') ? w.split('=')[1] : next}`;
      else if ((w === '--severity-level' || w === '--audit-level') && /^none$/.test(next ?? '')) flag = `${w} none`;
      if (flag) add('exit-suppressed', 'high', `\`${flag}\` makes ${tag} exit 0 whatever it finds, so the scan can never block: remove it and baseline or allowlist specific findings instead.`, spanLoc(st, words[k].start, words[k].end), flag);
    }
    let j = i;
    while (cmds[j] && cmds[j].sep === '|') j++;
    const last = cmds[j];
    const blockingText = (x: string) => /\bexit\s+([1-9]|\$)|\bfalse\b|\breturn\s+[1-9]|::error|\bthrow\b|\bError\b/.test(x);
    const cmdText = (x: Command) => script.slice(x.start, x.words[x.words.length - 1].end);
    // `if scanner; then …; fi` / `if ! scanner; then echo …; fi`: the condition's status never stops the script
    if (cond) {
      // the matching `fi`/`done` (nested ifs/loops counted)
      let depth = 0;
      let fi = -1;
      for (let k = j + 1; k < cmds.length && fi < 0; k++) {
        for (const w of cmds[k].words.map((x) => x.text)) {
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
      const body = cmds.slice(j + 1, fi < 0 ? cmds.length : fi).map(cmdText).join('\n');
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
      const checked = /\$\?|PIPESTATUS|\bexit\s+\$|\bexit\s+[1-9]/.test(after.map(cmdText).join('\n'));
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
      const blocks = /\bexit\s+([1-9]|\$)|\bfalse\b|\breturn\s+[1-9]|::error/.test(restText.split(/\n/)[0]) && !/^\s*(true|:)\b/.test(restText);
      if (nx && !blocks) {
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
    if (!cond && c.sep === '|' && !pipefail) {
      const nx = cmds[i + 1];
      const op = opBefore(script, nx, '|', c.start);
      add('exit-suppressed', 'high', `${tag} is piped into \`${nx?.words[0]?.text ?? '…'}\` in a shell without pipefail (the default \`bash -e\`), so the step's status is the last command's and the scanner's failure is lost: set \`shell: bash\` or \`set -o pipefail\`.`, spanLoc(st, op, op + 1), '| no-pipefail');
    }
    // set +e with no later check
    if (cond) {
      // handled above
    } else if (errexitOff) {
      const later = cmds.slice(j + 1);
      const laterText = later.map((x) => script.slice(x.start, x.words[x.words.length - 1].end)).join('\n');
      const checked = /\$\?|PIPESTATUS|\bset\s+-[a-zA-Z]*e|errexit|\bexit\s+\$|\bexit\s+[1-9]/.test(laterText) || (last && (last.sep === '&&' || last.sep === '||'));
      const isLast = later.length === 0;
      if (!checked && !isLast) {
        const ew = errexitOff.words[0];
        add('errexit-disabled', 'high', `\`set +e\` before ${tag} with no later check of its exit status (\`$?\`): the script carries on and the step succeeds even when the scanner fails.`, spanLoc(st, ew.start, errexitOff.words[errexitOff.words.length - 1].end), 'set +e');
      }
    } else if (noErrexitShell && (!last || (last.sep !== '||' && last.sep !== '&'))) {
      const later = cmds.slice(j + 1);
      const laterText = later.map(cmdText).join('\n');
      const checked = /\$\?|PIPESTATUS|LASTEXITCODE|ERRORLEVEL|PSNativeCommandUseErrorActionPreference|\bset\s+-[a-zA-Z]*e|errexit|\bexit\s+\$|\bexit\s+[1-9]|\bthrow\b/i.test(laterText) || (last && last.sep === '&&' && blockingText(laterText));
      if (!checked && later.length) {
        const shellNode = mapGet(m.doc!, step.node, 'shell');
        const where = shellNode ? nodeLoc(m.p, shellNode) : toolLoc;
        const sh = shell || 'pwsh (the Windows default)';
        add('errexit-disabled', 'high', `\`${sh}\` does not stop at a failing command and the step's status is the last command's, so ${tag}, followed by other commands with no check of its status (\`$?\`, \`$LASTEXITCODE\`), can never fail the step.`, where, `shell ${sh}`);
      }
    }
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
  }
  return uses;
}

export function analyzeIntegrity(m: WorkflowModel, fp: Fingerprinter): Finding[] {
  const out: RawFinding[] = [];
  for (const job of m.jobs) {
    const jobLabel = job.key;
    const jobTools: string[] = [];
    for (const step of job.steps) {
      const tools: ToolUse[] = [];
      if (step.run) tools.push(...analyzeStepScript(m, job, step, out, jobLabel));
      if (step.uses && step.usesNode) {
        const { name } = splitUses(step.uses);
        const hit = ACTION_TOOLS.find((a) => a.re.test(name)) ?? (/^\.\/.*chaingate|^\.\/actions\/(pin-lint|prt-guard|gate-integrity|verify-|bandit-gate)/.test(step.uses) ? { tool: 'chaingate' } : undefined);
        if (hit) {
          tools.push({ tool: hit.tool, loc: nodeLoc(m.p, step.usesNode) });
          for (const o of ACTION_OPT_OUTS) {
            const v = step.with.get(o.input);
            if (o.tool === hit.tool && v && o.bad.test(v.value.trim())) {
              out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${o.input}: ${v.value.trim()}\` makes ${step.uses.split('@')[0]} succeed whatever it finds, so the scan can never block.`, loc: nodeLoc(m.p, v.node), token: `${o.input}:${v.value}`, job: jobLabel, step: step.label });
            }
          }
          for (const [k, v] of step.with) {
            const mm = /(^|\s)(--exit-zero|--soft-fail|--no-fail)(?=\s|$)/.exec(v.value);
            if (mm && /args|flags|options/i.test(k)) out.push({ rule: 'exit-suppressed', severity: 'high', message: `\`${mm[2]}\` in \`${k}\` makes ${step.uses.split('@')[0]} exit 0 whatever it finds, so the scan can never block.`, loc: nodeLoc(m.p, v.node), token: mm[2], job: jobLabel, step: step.label });
          }
        }
      }
      if (!tools.length) continue;
      jobTools.push(...tools.map((t) => t.tool));
      const names = [...new Set(tools.map((t) => t.tool))].join(', ');
      if (step.continueOnError && LITERAL_TRUE.test(step.continueOnError.value.trim())) {
        out.push({ rule: 'continue-on-error', severity: 'high', message: `\`continue-on-error: true\` on step \`${step.label}\` lets the job pass when ${names} fails, so the check exists but never blocks.`, loc: nodeLoc(m.p, step.continueOnError.node), token: 'continue-on-error', job: jobLabel, step: step.label });
      }
      if (step.ifText !== undefined && step.ifNode && LITERAL_FALSE.test(step.ifText.trim())) {
        out.push({ rule: 'disabled-gate', severity: 'high', message: `\`if: ${step.ifText.trim()}\` disables step \`${step.label}\`, so ${names} never runs.`, loc: nodeLoc(m.p, step.ifNode), token: 'if-false', job: jobLabel, step: step.label });
      }
    }
    if (!jobTools.length || m.kind !== 'workflow') continue;
    const names = [...new Set(jobTools)].join(', ');
    if (job.continueOnError && LITERAL_TRUE.test(job.continueOnError.value.trim())) {
      out.push({ rule: 'continue-on-error', severity: 'high', message: `\`continue-on-error: true\` on job \`${job.key}\` lets the workflow pass when ${names} fails, so the check exists but never blocks.`, loc: nodeLoc(m.p, job.continueOnError.node), token: 'continue-on-error', job: jobLabel, step: '' });
    }
    if (job.ifText !== undefined && job.ifNode && LITERAL_FALSE.test(job.ifText.trim())) {
      out.push({ rule: 'disabled-gate', severity: 'high', message: `\`if: ${job.ifText.trim()}\` disables job \`${job.key}\`, so ${names} never runs.`, loc: nodeLoc(m.p, job.ifNode), token: 'if-false', job: jobLabel, step: '' });
    }
  }
  return out.map((r) => ({
    rule: r.rule,
    severity: r.severity,
    message: r.message,
    file: m.file,
    ...r.loc,
    fingerprint: fp.make(r.rule, m.file, r.token, `${r.job}/${r.step}`),
    properties: { job: r.job, step: r.step },
  }));
}
