// Real-world precision pass (decision 0960): scanners inside `sh -c` / `bash -c` strings (also as a container's
// command), nested command substitutions, more scanners and actions by their real exit contracts, and benign
// look-alikes. Every finding asserted as `rule line:column`; true negatives beside each.
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';

function scanText(text: string, file = '.github/workflows/w.yml'): string[] {
  const m = buildModel(file, text);
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter()).map((f) => `${f.rule} ${f.line}:${f.column}`);
}

/** one `run: |` step; script lines start at line 7, column 11 */
function run(script: string, shell = ''): string[] {
  const body = script.split('\n').map((l) => `          ${l}`).join('\n');
  return scanText(`on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${body}\n${shell ? `        shell: ${shell}\n` : ''}`);
}

describe('scripts passed as strings: sh -c / bash -c, also as a container command', () => {
  it.each([
    ['|| true inside bash -c "…"', 'bash -c "trivy fs --exit-code 1 . || true"', ['exit-suppressed 7:45']],
    ['sh -c without -e: a later command decides', "sh -c 'trivy fs --exit-code 1 .; echo done'", ['exit-suppressed 7:42']],
    ['|| true after the wrapper', "bash -c 'trivy fs --exit-code 1 .' || true", ['exit-suppressed 7:46']],
    ['a flag inside the string', 'bash -c "gitleaks detect --exit-code 0"', ['exit-suppressed 7:36']],
    ['a pipe inside sh -c (no pipefail)', "sh -c 'trivy fs --exit-code 1 . | tee out.txt'", ['exit-suppressed 7:43']],
    ['docker run IMAGE sh -c "… || true"', 'docker run --rm -v $PWD:/src python:3.12 sh -c "pip install bandit && bandit -r /src || true"', ['exit-suppressed 7:96']],
    ['--entrypoint /bin/sh IMAGE -c "…; echo"', 'docker run --rm --entrypoint /bin/sh aquasec/trivy:0.50 -c "trivy image --exit-code 1 x; echo done"', ['exit-suppressed 7:98']],
    ['$(bash -c "… || true")', "out=$(bash -c 'bandit -r . || true')", ['exit-suppressed 7:38']],
    ['nested $(…): the outer command decides', 'x=$(echo $(trivy fs --exit-code 1 .))', ['exit-suppressed 7:15']],
    ['nested $(… || true)', 'out=$(y=$(trivy fs --exit-code 1 . || true); echo "$y")', ['exit-suppressed 7:46']],
    ['a verifier inside sh -c with no time limit', 'sh -c "cosign verify --key k img"', ['verifier-no-timeout 7:18']],
  ])('%s', (_n, script, want) => {
    expect(run(script)).toEqual(want);
  });

  it.each([
    ['bash -ec: errexit inside', "bash -ec 'trivy fs --exit-code 1 .; echo done'"],
    ['set -e at the start of the string', 'bash -c "set -e; trivy fs --exit-code 1 .; echo ok"'],
    ['the scanner ends an && list in a container', 'docker run --rm -v $PWD:/src python:3.12 sh -c "pip install bandit && bandit -r /src"'],
    ['--entrypoint sh, the scanner last', 'docker run --rm --entrypoint /bin/sh aquasec/trivy:0.50 -c "trivy image --exit-code 1 x"'],
    ['bash -o pipefail -c with a pipe', "bash -o pipefail -c 'trivy fs --exit-code 1 . | tee out.txt'"],
    ['the status handed on: rc=$? … exit $rc', "sh -c 'trivy fs --exit-code 1 .; rc=$?; rm -f x; exit $rc'"],
    ['timeout around the wrapper', 'timeout 300 sh -c "cosign verify --key k img"'],
    ['|| true on a non-scanner inside sh -c', "sh -c 'echo hello || true'"],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });
});
