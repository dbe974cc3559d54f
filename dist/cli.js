#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module';
const require = __cgCreateRequire(import.meta.url);
import {
  COMMANDS,
  GATES
} from "./chunks/chunk-6F6WRMRA.js";
import {
  COMMON_INPUTS,
  SUITE_VERSION,
  annotations,
  executeGate,
  exitCodeFor,
  summaryMarkdown,
  textReport
} from "./chunks/chunk-SPNS5PI7.js";
import "./chunks/chunk-EANWHSN4.js";
import "./chunks/chunk-DO6MJX7D.js";
import "./chunks/chunk-IUU2ATNU.js";

// src/cli.ts
var FORMATS = ["text", "json", "sarif", "github"], UsageError = class extends Error {
}, EXIT_HELP = "Exit codes: 0 pass (or skip), 1 fail (findings over the policy), 2 error (could not prove compliance) or usage error.";
function mainHelp() {
  let w = Math.max(...[...GATES, ...COMMANDS].map((g) => g.id.length), 5) + 2;
  return [
    `chaingate ${SUITE_VERSION} \u2014 supply-chain gates that fail closed`,
    "",
    "Usage: chaingate <command> [options]",
    "",
    "Gates:",
    ...GATES.map((g) => `  ${g.id.padEnd(w)}${g.summary}${g.static ? " (static)" : ""}`),
    "",
    "Commands:",
    `  ${"check".padEnd(w)}run every static gate (${GATES.filter((g) => g.static).map((g) => g.id).join(", ")}) on the repository`,
    ...COMMANDS.map((c) => `  ${c.id.padEnd(w)}${c.summary}`),
    "",
    "Run `chaingate <command> --help` for its options.",
    EXIT_HELP
  ].join(`
`);
}
function optionLine(spec) {
  let flag = spec.positional ? `[${spec.name}\u2026]` : `--${spec.name}${spec.flag ? "" : " <value>"}`, def = spec.default !== void 0 && spec.default !== "" ? ` (default: ${spec.default})` : "", req = spec.required ? " (required)" : "";
  return `  ${flag.padEnd(30)}${spec.description.replace(/`/g, "")}${req}${def}`;
}
function gateHelp(gate) {
  let specs = [...gate.inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly), pos = specs.find((s) => s.positional);
  return [
    `chaingate ${gate.id} \u2014 ${gate.description}`,
    "",
    `Usage: chaingate ${gate.id} [options]${pos ? ` [${pos.name}\u2026]` : ""}`,
    "",
    "Options:",
    ...specs.map(optionLine),
    `  ${"--format <text|json|sarif|github>".padEnd(30)}output format (default: text)`,
    `  ${"-h, --help".padEnd(30)}this help`,
    "",
    gate.rules.length ? `Rules: ${gate.rules.map((r) => r.id).join(", ")}` : "",
    `Reason codes: ${gate.reasons.join(", ")}`,
    EXIT_HELP
  ].join(`
`);
}
function parseArgs(argv, specs) {
  let raw = {}, format = "text", help = !1, byName = new Map(specs.map((s) => [s.name, s])), pos = specs.find((s) => s.positional), positional = [], append = (name, v) => {
    raw[name] = raw[name] === void 0 ? v : `${raw[name]}
${v}`;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === "-h" || a === "--help") {
      help = !0;
      continue;
    }
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      let eq = a.indexOf("="), name = eq > 0 ? a.slice(2, eq) : a.slice(2), value = eq > 0 ? a.slice(eq + 1) : void 0;
      if (name === "format") {
        if (value ??= argv[++i], !FORMATS.includes(value)) throw new UsageError(`--format: "${value ?? ""}" is not one of ${FORMATS.join(", ")}`);
        format = value;
        continue;
      }
      let spec = byName.get(name);
      if (!spec || spec.actionOnly) throw new UsageError(`unknown option --${name}`);
      if (spec.flag) {
        append(name, value ?? "true");
        continue;
      }
      if (value === void 0 && (value = argv[++i], value === void 0))
        throw new UsageError(`--${name} needs a value`);
      append(name, value);
      continue;
    }
    if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
    positional.push(a);
  }
  if (positional.length) {
    if (!pos) throw new UsageError(`unexpected argument "${positional[0]}"`);
    raw[pos.name] = [...raw[pos.name] ? [raw[pos.name]] : [], ...positional].join(`
`);
  }
  for (let s of specs) raw[s.name] === void 0 && s.default !== void 0 && (raw[s.name] = s.default);
  return { raw, format, help };
}
function emit(gate, out, format, io) {
  let { result, redactor } = out, say = (s) => io.out(redactor.redact(s));
  if (format === "json")
    say(JSON.stringify({ gate: gate.id, ...result, record: out.record, recordFile: out.recordPath ?? null, sarifFile: out.sarifPath ?? null }, null, 2));
  else if (format === "sarif")
    say(JSON.stringify(out.sarif ?? { version: "2.1.0", runs: [] }, null, 2));
  else if (format === "github") {
    for (let l of annotations(gate.id, result.findings)) say(l);
    say(textReport(gate.id, result));
  } else
    say(textReport(gate.id, result));
  out.recordError && io.err(redactor.redact(out.recordError));
}
async function runOne(gate, argv, io, formatOverride) {
  let specs = [...gate.inputs, ...COMMON_INPUTS].filter((s) => !s.actionOnly), parsed;
  try {
    parsed = parseArgs(argv, specs);
  } catch (e) {
    return io.err(`chaingate ${gate.id}: ${e.message}
Run \`chaingate ${gate.id} --help\` for usage.`), 2;
  }
  if (parsed.help)
    return io.out(gateHelp(gate)), 0;
  let logger = { info: (m) => io.err(m), warn: (m) => io.err(`warning: ${m}`), debug: () => {
  } }, out = await executeGate(gate, parsed.raw, { cwd: io.cwd, env: io.env, logger });
  if (emit(gate, out, formatOverride ?? parsed.format, io), io.env.GITHUB_STEP_SUMMARY && io.env.GITHUB_ACTIONS === "true") {
    let { appendFileSync } = await import("node:fs");
    try {
      appendFileSync(io.env.GITHUB_STEP_SUMMARY, out.redactor.redact(summaryMarkdown(gate.id, gate.title, out.result)));
    } catch {
    }
  }
  return exitCodeFor(out.result.outcome);
}
async function main(argv, io) {
  let [cmd, ...rest] = argv;
  if (!cmd || cmd === "-h" || cmd === "--help" || cmd === "help")
    return io.out(mainHelp()), cmd ? 0 : 2;
  if (cmd === "--version" || cmd === "-V")
    return io.out(SUITE_VERSION), 0;
  if (cmd === "check") {
    if (rest.includes("-h") || rest.includes("--help"))
      return io.out(`chaingate check \u2014 run every static gate on the repository (cwd)

Usage: chaingate check [--format text|json|github] [--config FILE]

Gates: ${GATES.filter((g) => g.static).map((g) => g.id).join(", ")}
${EXIT_HELP}
The worst outcome decides the exit code.`), 0;
    let worst = 0;
    for (let entry2 of GATES.filter((g) => g.static)) {
      let gate = await entry2.load(), code = await runOne(gate, rest, io);
      worst = Math.max(worst, code);
    }
    return worst;
  }
  let entry = GATES.find((g) => g.id === cmd);
  if (entry) return runOne(await entry.load(), rest, io);
  let command = COMMANDS.find((c) => c.id === cmd);
  return command ? (await command.load())(rest, io) : (io.err(`chaingate: unknown command "${cmd}"

${mainHelp()}`), 2);
}

// src/entry/cli.ts
main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (s) => process.stdout.write(`${s}
`),
  err: (s) => process.stderr.write(`${s}
`)
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`chaingate: internal error: ${e?.stack ?? e}
`), process.exitCode = 2;
  }
);
