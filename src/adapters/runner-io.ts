// The Actions runner's documented I/O protocol: INPUT_* env, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY file
// commands and `::level::` workflow commands. Written here instead of importing @actions/core because
// @actions/core 3.x loads @actions/http-client and undici at import time (~150 ms of cold start per gate
// step, for an OIDC helper the gates do not use). See docs/decisions/0005-runner-io.md.
import { appendFileSync } from 'node:fs';
import { randomUUID } from '../core/random.js';
import { EOL } from 'node:os';
import { workflowCommand } from '../core/format.js';

/** Same name mapping as @actions/core: spaces → `_`, upper-cased, hyphens kept; value trimmed. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Append `name<<delimiter` block to GITHUB_OUTPUT (a random delimiter, refused if the value contains it). */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(`${EOL}::set-output name=${name}::${value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('output value contains the delimiter');
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) throw new Error('GITHUB_STEP_SUMMARY is not set');
  appendFileSync(file, markdown, 'utf8');
}

export function info(msg: string): void {
  process.stdout.write(`${msg}${EOL}`);
}
export function warning(msg: string): void {
  process.stdout.write(`${workflowCommand('warning', msg)}${EOL}`);
}
export function debug(msg: string): void {
  process.stdout.write(`::debug::${msg.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}${EOL}`);
}
export function error(msg: string): void {
  process.stdout.write(`${workflowCommand('error', msg)}${EOL}`);
}
