// `chaingate <gate> [options]` and `chaingate check`: the same gates from a terminal.
import { COMMON_INPUTS } from './core/gate.js';
import type { Gate } from './core/gate.js';
import type { InputSpec, RawInputs } from './core/types.js';
import { executeGate, exitCodeFor, type RunOutcome } from './core/runner.js';
import { annotations, extraAnnotations, summaryMarkdown, textReport } from './core/format.js';
import { SUITE_VERSION } from './core/version.js';
import { dirname, resolve } from 'node:path';
import { GATES, COMMANDS, type CliIO } from './gates/index.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

const EXIT_HELP = `Exit codes: 0 pass (or skip), 1 fail (findings over the policy), 2 error (could not prove compliance) or usage error.`;

function mainHelp(): string {
  const w = Math.max(...[...GATES, ...COMMANDS].map((g) => g.id.length), 5) + 2;
  return [
    `chaingate ${SUITE_VERSION} — supply-chain gates that fail closed`,
    '',
    'Usage: chaingate <command> [options]',
    '',
    'Gates:',
    ...GATES.map((g) => `  ${g.id.padEnd(w)}${g.summary}${g.static ? ' (static)' : ''}`),
    '',
    'Commands:',
    `  ${'check'.padEnd(w)}run every static gate (${GATES.filter((g) => g.static).map((g) => g.id).join(', ')}) on the repository`,
    ...COMMANDS.map((c) => `  ${c.id.padEnd(w)}${c.summary}`),
    '',
    'Run `chaingate <command> --help` for its options.',
    EXIT_HELP,
  ].join('\n');
}

/** A positional input as the usage line shows it: `<bundle>` (one, required), `[paths…]` (a list). */
function positionalText(spec: InputSpec): string {
  const name = `${spec.name}${spec.multiple ? '…' : ''}`;
  return spec.required ? `<${name}>` : `[${name}]`;
}

function flagText(spec: InputSpec): string {
  return spec.positional ? positionalText(spec) : `--${spec.name}${spec.flag ? '' : ' <value>'}`;
}

/** The closest option name to a mistyped one (`--exclude` → `--excludes`), if one is close. */
export function closestOption(name: string, names: string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0];
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = d[j];
        d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return d[b.length];
  };
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = dist(name, n);
    if (!best || d < best.d) best = { n, d };
  }
  return best && best.d <= Math.max(1, Math.min(2, Math.floor(name.length / 4))) ? best.n : undefined;
}

function optionLine(spec: InputSpec, width: number): string {
  const def = spec.default !== undefined && spec.default !== '' ? ` (default: ${spec.default})` : '';
  const req = `${spec.required ? ' (required)' : ''}${spec.multiple && !spec.positional ? ' (repeatable)' : ''}`;
  return `  ${flagText(spec).padEnd(width)}${spec.description.replace(/`/g, '')}${req}${def}`;
}

function gateHelp(gate: Gate<unknown>): string {
  const specs = [...gate.inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly);
  const pos = specs.find((s) => s.positional);
  const width = Math.max(34, ...specs.map((s) => flagText(s).length + 2));
  return [
    `chaingate ${gate.id} — ${gate.description}`,
    '',
    `Usage: chaingate ${gate.id} [options]${pos ? ` ${positionalText(pos)}` : ''}`,
    '',
    'Options:',
    ...specs.map((s) => optionLine(s, width)),
    `  ${'--format <text|json|sarif|github>'.padEnd(width)}output format (default: text)`,
    `  ${'-h, --help'.padEnd(width)}this help`,
    '',
    gate.rules.length ? `Rules: ${gate.rules.map((r) => r.id).join(', ')}` : '',
    `Reason codes: ${gate.reasons.join(', ')}`,
    EXIT_HELP,
  ].join('\n');
}

/**
 * Inputs declared `multiple` take a list: they may be repeated on the command line (and take several
 * positional arguments) and the values are joined with newlines. Any other option given twice is a usage
 * error: `--fail-on high --fail-on low` must not become the value "high\nlow".
 */
export function takesMany(spec: InputSpec): boolean {
  return spec.multiple === true;
}

export function parseArgs(argv: string[], specs: InputSpec[]): { raw: RawInputs; format: Format; help: boolean } {
  const raw: RawInputs = {};
  let format: Format = 'text';
  let help = false;
  const byName = new Map(specs.map((s) => [s.name, s]));
  const pos = specs.find((s) => s.positional);
  const positional: string[] = [];
  const append = (name: string, v: string) => {
    const spec = byName.get(name);
    if (raw[name] !== undefined && spec?.flag) {
      // `--fix --fix` would become the value "true\ntrue", which no boolean parses
      throw new UsageError(`--${name} given more than once: it is a switch (give it once, or --${name}=false)`);
    }
    if (raw[name] !== undefined && spec && !takesMany(spec)) {
      throw new UsageError(`--${name} given more than once ("${raw[name]}", then "${v}"): it takes one value`);
    }
    raw[name] = raw[name] === undefined ? v : `${raw[name]}\n${v}`;
  };
  let i = 0;
  // The next argument is the value, unless there is none or it is itself an option (`--gate --outcome pass`
  // would otherwise file the record under the id "--outcome"): a value that starts with -- needs --name=value.
  const takeValue = (name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) {
      throw new UsageError(`--${name} needs a value${v === undefined ? '' : ` (got the option ${v}; write --${name}=${v} if that is the value)`}`);
    }
    i++;
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      let value: string | undefined = eq > 0 ? a.slice(eq + 1) : undefined;
      if (name === 'format') {
        value ??= takeValue(name);
        if (!FORMATS.includes(value as Format)) throw new UsageError(`--format: "${value}" is not one of ${FORMATS.join(', ')}`);
        format = value as Format;
        continue;
      }
      const spec = byName.get(name);
      if (!spec || spec.actionOnly) {
        const near = closestOption(name, ['format', ...specs.filter((x) => !x.actionOnly).map((x) => x.name)]);
        throw new UsageError(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}`);
      }
      if (spec.flag) {
        append(name, value ?? 'true');
        continue;
      }
      value ??= takeValue(name);
      append(name, value);
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    positional.push(a);
  }
  if (positional.length) {
    if (!pos) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if (!takesMany(pos) && positional.length + (raw[pos.name] !== undefined ? 1 : 0) > 1) {
      throw new UsageError(`${pos.name} takes one value, got ${positional.length + (raw[pos.name] !== undefined ? 1 : 0)} ("${[...(raw[pos.name] !== undefined ? [raw[pos.name]] : []), ...positional].join('", "')}")`);
    }
    raw[pos.name] = [...(raw[pos.name] ? [raw[pos.name] as string] : []), ...positional].join('\n');
  }
  for (const s of specs) if (raw[s.name] === undefined && s.default !== undefined) raw[s.name] = s.default;
  return { raw, format, help };
}

function emit(gate: Gate<unknown>, out: RunOutcome, format: Format, io: CliIO, printed?: Set<string>): void {
  const { result, redactor } = out;
  const say = (s: string) => io.out(redactor.redact(s));
  const shown = printed ? (m: string) => printed.has(redactor.redact(m)) : undefined;
  if (format === 'json') {
    say(JSON.stringify(jsonOf(gate, out), null, 2));
  } else if (format === 'sarif') {
    say(JSON.stringify(out.sarif ?? { version: '2.1.0', runs: [] }, null, 2));
  } else if (format === 'github') {
    for (const l of annotations(gate.id, result.findings)) say(l);
    for (const l of extraAnnotations(gate.id, result)) say(l);
    say(textReport(gate.id, result, shown));
  } else {
    say(textReport(gate.id, result, shown));
  }
}

function jsonOf(gate: Gate<unknown>, out: RunOutcome): object {
  return { gate: gate.id, ...out.result, record: out.record, recordFile: out.recordPath ?? null, sarifFile: out.sarifPath ?? null };
}

async function stepSummary(gate: Gate<unknown>, out: RunOutcome, io: CliIO): Promise<void> {
  if (io.env.GITHUB_STEP_SUMMARY && io.env.GITHUB_ACTIONS === 'true') {
    // running as a plain `run:` step: still leave a summary
    const { appendFileSync } = await import('node:fs');
    try {
      appendFileSync(io.env.GITHUB_STEP_SUMMARY, out.redactor.redact(summaryMarkdown(gate.id, gate.title, out.result)));
    } catch {
      /* summary is a courtesy */
    }
  }
}

/**
 * Warnings and notes go to stderr as they happen; `printed` keeps what was said (already redacted by the runner),
 * so the text report on stdout does not say it a second time (bandit-gate both warns and lists its notes).
 */
function cliLogger(io: CliIO) {
  const printed = new Set<string>();
  const say = (m: string, text: string) => {
    printed.add(m);
    io.err(text);
  };
  return { info: (m: string) => say(m, m), warn: (m: string) => say(m, `warning: ${m}`), debug: () => undefined, printed };
}

/** The options `check` takes: those every static gate takes (another would stop one gate after the others ran). */
function commonSpecs(gates: Gate<unknown>[]): InputSpec[] {
  const all = gates.map((g) => [...g.inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly));
  return all[0].filter((s) => all.every((specs) => specs.some((o) => o.name === s.name)));
}

function checkHelp(gates: Gate<unknown>[], specs: InputSpec[]): string {
  const width = Math.max(34, ...specs.map((s) => flagText(s).length + 2));
  return [
    'chaingate check — run every static gate on the repository (cwd)',
    '',
    `Usage: chaingate check [options] [paths…]`,
    '',
    `Gates: ${gates.map((g) => g.id).join(', ')}. Options only some of them take (e.g. pin-lint --token) need \`chaingate <gate>\`.`,
    '',
    'Options:',
    ...specs.filter((s) => s.name !== 'sarif-file').map((s) => optionLine(s, width)),
    `  ${'--sarif-file <value>'.padEnd(width)}Write one SARIF 2.1.0 log (one run per gate) to this path.`,
    `  ${'--format <text|json|sarif|github>'.padEnd(width)}output format (default: text); json and sarif print one document for all gates`,
    `  ${'-h, --help'.padEnd(width)}this help`,
    '',
    EXIT_HELP,
    'The worst outcome decides the exit code.',
  ].join('\n');
}

async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const gates: Gate<unknown>[] = [];
  for (const entry of GATES.filter((g) => g.static)) gates.push(await entry.load());
  const specs = commonSpecs(gates);
  let parsed;
  try {
    parsed = parseArgs(argv, specs);
  } catch (e) {
    io.err(`chaingate check: ${(e as Error).message}\nRun \`chaingate check --help\` for usage.`);
    return 2;
  }
  if (parsed.help) {
    io.out(checkHelp(gates, specs));
    return 0;
  }
  // One SARIF log for all gates: each gate writing the same file would keep only the last gate's results.
  const sarifFile = parsed.raw['sarif-file'] ? resolve(io.cwd, parsed.raw['sarif-file']) : undefined;
  const { writeFileSync } = await import('node:fs');
  const { ensureDir, fsErrorText } = await import('./core/files.js');
  const writeSarif = (text: string) => {
    ensureDir(dirname(sarifFile!));
    writeFileSync(sarifFile!, text);
  };
  if (sarifFile) {
    try {
      writeSarif(''); // fail before any gate runs, not after they all passed
    } catch (e) {
      io.err(`chaingate check: cannot write SARIF to ${parsed.raw['sarif-file']}: ${fsErrorText(e)}`);
      return 2;
    }
  }
  const raw = { ...parsed.raw, 'sarif-file': undefined };
  let worst = 0;
  const outs: Array<{ gate: Gate<unknown>; out: RunOutcome }> = [];
  for (const gate of gates) {
    const logger = cliLogger(io);
    const out = await executeGate(gate, raw, { cwd: io.cwd, env: io.env, logger });
    outs.push({ gate, out });
    if (parsed.format === 'text' || parsed.format === 'github') emit(gate, out, parsed.format, io, logger.printed);
    await stepSummary(gate, out, io);
    worst = Math.max(worst, exitCodeFor(out.result.outcome));
  }
  const outcome = worst === 0 ? 'pass' : worst === 1 ? 'fail' : 'error';
  const runs = outs.flatMap(({ out }) => ((out.sarif as { runs?: unknown[] } | undefined)?.runs ?? []));
  const sarif = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs };
  const redact = (t: string) => outs.reduce((acc, { out }) => out.redactor.redact(acc), t);
  if (parsed.format === 'json') io.out(redact(JSON.stringify({ outcome, gates: outs.map(({ gate, out }) => jsonOf(gate, out)) }, null, 2)));
  if (parsed.format === 'sarif') io.out(redact(JSON.stringify(sarif, null, 2)));
  if (sarifFile) {
    try {
      writeSarif(`${redact(JSON.stringify(sarif, null, 2))}\n`);
    } catch (e) {
      io.err(`chaingate check: cannot write SARIF to ${parsed.raw['sarif-file']}: ${fsErrorText(e)}`);
      return 2;
    }
  }
  return worst;
}

async function runOne(gate: Gate<unknown>, argv: string[], io: CliIO, formatOverride?: Format): Promise<number> {
  const specs = [...gate.inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly);
  let parsed;
  try {
    parsed = parseArgs(argv, specs);
  } catch (e) {
    io.err(`chaingate ${gate.id}: ${(e as Error).message}\nRun \`chaingate ${gate.id} --help\` for usage.`);
    return 2;
  }
  if (parsed.help) {
    io.out(gateHelp(gate));
    return 0;
  }
  const missing = specs.filter((s) => s.required && !parsed.raw[s.name]?.trim());
  if (missing.length) {
    const what = missing.map((s) => (s.positional ? `<${s.name}> (as an argument)` : `--${s.name}`)).join(', ');
    io.err(`chaingate ${gate.id}: missing required ${what}: ${missing.map((s) => s.description.replace(/`/g, '')).join(' ')}\nRun \`chaingate ${gate.id} --help\` for usage.`);
    return 2;
  }
  const logger = cliLogger(io);
  const out = await executeGate(gate, parsed.raw, { cwd: io.cwd, env: io.env, logger });
  emit(gate, out, formatOverride ?? parsed.format, io, logger.printed);
  await stepSummary(gate, out, io);
  return exitCodeFor(out.result.outcome);
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    // asked for: help on stdout, exit 0; no command at all is a usage error: help on stderr, exit 2
    (cmd ? io.out : io.err)(mainHelp());
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.out(SUITE_VERSION);
    return 0;
  }
  if (cmd === 'check') return runCheck(rest, io);
  const entry = GATES.find((g) => g.id === cmd);
  if (entry) return runOne(await entry.load(), rest, io);
  const command = COMMANDS.find((c) => c.id === cmd);
  if (command) return (await command.load())(rest, io);
  io.err(`chaingate: unknown command "${cmd}"\n\n${mainHelp()}`);
  return 2;
}
