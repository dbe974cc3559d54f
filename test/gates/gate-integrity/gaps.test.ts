// The gaps closed by decision 0950: scanners run through containers and runners, exit statuses lost in
// pipelines and command substitutions (judged by bash's and dash's real rules), composite actions (their own
// steps, and local composites called with continue-on-error / if: false), job-level and matrix
// continue-on-error. Every finding asserted as `rule line:column`; true negatives beside each.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, scanText } from './helpers.js';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity, type LocalActionResolver } from '../../../src/gates/gate-integrity/analyze.js';
import { localActionResolver } from '../../../src/gates/gate-integrity/index.js';

describe('gap 1: scanners in containers and through runners', () => {
  it.each([
    ['trivy image, || true', 'docker run --rm aquasec/trivy:0.50 image x || true', ['exit-suppressed 7:54']],
    ['semgrep image, the command repeats the tool', 'docker run -v $PWD:/src returntocorp/semgrep semgrep --config auto || true', ['exit-suppressed 7:78']],
    ['gitleaks from ghcr, || exit 0', 'docker run ghcr.io/gitleaks/gitleaks:latest detect --source . || exit 0', ['exit-suppressed 7:73']],
    ['grype pinned by tag and digest, --fail-on none', 'docker run --rm anchore/grype:v0.74@sha256:abcd alpine:3 --fail-on none', ['exit-suppressed 7:68']],
    ['checkov with -t and a -v value, --soft-fail', 'docker run -t -v $(pwd):/tf bridgecrew/checkov -d /tf --soft-fail', ['exit-suppressed 7:65']],
    ['podman run', 'podman run --rm docker.io/aquasec/trivy fs . || :', ['exit-suppressed 7:56']],
    ['docker container run, --exit-code=0', 'docker container run --network host aquasec/trivy image --exit-code=0 x', ['exit-suppressed 7:67']],
    ['--entrypoint names the scanner', 'docker run --entrypoint trivy myorg/tools:1 fs . --exit-code 0', ['exit-suppressed 7:60']],
    ['a general image running a scanner', 'docker run --rm -v .:/src python:3.12 bandit -r /src || true', ['exit-suppressed 7:64']],
    ['detached container, nothing waits', 'docker run -d --name scan aquasec/trivy image x\necho started', ['exit-suppressed 7:22']],
    ['-itd cluster', 'docker run -itd aquasec/trivy image x', ['exit-suppressed 7:22']],
    ['image from the step env', 'docker run --rm "${IMAGE}:${VERSION}" git file://. || true', []],
    ['pipx run', 'pipx run bandit -r . || true', ['exit-suppressed 7:32']],
    ['pipx run --spec with extras and a version', 'pipx run --spec bandit[toml]==1.7.9 bandit -r . --exit-zero', ['exit-suppressed 7:59']],
    ['uvx', 'uvx pip-audit || true', ['exit-suppressed 7:25']],
    ['uvx --with takes a value', 'uvx --with pip-audit-extra pip-audit --strict || true', ['exit-suppressed 7:57']],
    ['uv tool run tool@version', 'uv tool run pip-audit@2.7.3 --strict || true', ['exit-suppressed 7:48']],
    ['python -m bandit', 'python -m bandit -r . || true', ['exit-suppressed 7:33']],
    ['npx --yes scoped@version', 'npx --yes @scope/semgrep@1.2 --config auto || true', ['exit-suppressed 7:54']],
  ])('%s', (_n, script, want) => {
    expect(run(script)).toEqual(want);
  });

  it('image from env: resolved from the step env to the scanner', () => {
    const text = `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker run --rm "\${IMAGE}:\${VERSION}" git file://. || true\n        env:\n          IMAGE: ghcr.io/trufflesecurity/trufflehog\n          VERSION: '3.80'\n`;
    expect(scanText(text)).toEqual(['exit-suppressed 6:65']);
  });

  it.each([
    ['a detached scanner that is waited for', 'docker run -d --name scan aquasec/trivy image x\ndocker wait scan'],
    ['a non-scanner image (hadolint) with || true', 'docker run --rm -i hadolint/hadolint hadolint - < Dockerfile || true'],
    ['an image whose name only contains a scanner name', 'docker run --rm myorg/trivy-db-builder build || true'],
    ['a blocking container scan', 'docker run --rm aquasec/trivy:0.50 image --exit-code 1 x'],
    ['docker pull of a scanner image', 'docker pull aquasec/trivy:0.50 || true'],
    ['cosign image without verify', 'docker run gcr.io/projectsigstore/cosign version || true'],
    ['pipx install is not a run', 'pipx install bandit || true'],
  ])('true negative: %s', (_n, script) => {
    expect(run(script)).toEqual([]);
  });

  it('uses: docker:// with --exit-code 0 in args, and continue-on-error on another', () => {
    const text = `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: docker://aquasec/trivy:0.50
        with:
          args: image --exit-code 0 --severity HIGH alpine:3
      - uses: docker://ghcr.io/gitleaks/gitleaks:v8
        with:
          args: detect --source . --exit-code 1
        continue-on-error: true
      - uses: docker://alpine:3
        with:
          args: sh -c "echo --exit-code 0"
      - uses: docker://returntocorp/semgrep
        with:
          args: semgrep scan --error
`;
    expect(scanText(text)).toEqual(['exit-suppressed 8:23', 'continue-on-error 12:28']);
  });

  it('uses: docker:// cosign verify with no timeout; with timeout-minutes it is fine', () => {
    const base = `on: push\njobs:\n  v:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://gcr.io/projectsigstore/cosign:v2.4.1\n        with:\n          args: verify --key k.pub img@sha256:abc\n`;
    expect(scanText(base)).toEqual(['verifier-no-timeout 6:15']);
    expect(scanText(`${base}        timeout-minutes: 5\n`)).toEqual([]);
  });
});

describe('gap 2: pipelines and command substitutions', () => {
  it.each([
    ['pipe in shell: sh', 'trivy fs --exit-code 1 . | tee t.txt', 'sh', ['exit-suppressed 7:36']],
    ['pipe in bash {0}', 'trivy fs --exit-code 1 . | tee t.txt', 'bash {0}', ['exit-suppressed 7:36']],
    ['pipe in bash -e {0}', 'gitleaks detect -v | tee g.txt', 'bash -e {0}', ['exit-suppressed 7:30']],
    ['local x=$(…): local returns 0', 'f() {\n  local x=$(trivy fs --exit-code 1 .)\n  echo "$x"\n}\nf', '', ['exit-suppressed 8:13']],
    ['export X=$(…)', 'export R=$(semgrep scan --error)', '', ['exit-suppressed 7:11']],
    ['echo "$(…)"', 'echo "$(trivy fs --exit-code 1 .)"', '', ['exit-suppressed 7:11']],
    ['backticks', 'echo `gitleaks detect`', '', ['exit-suppressed 7:11']],
    ['quotes nested inside "$(…)" (tokenizer keeps the word whole)', 'echo "result: $(trivy image --exit-code 1 "$IMG")" >> "$GITHUB_STEP_SUMMARY"', '', ['exit-suppressed 7:11']],
    ['a=$(scanner) b=$(…): the last substitution decides', 'a=$(bandit -r .) b=$(date)\necho $a', '', ['exit-suppressed 7:30']],
    ['FOO=$(scanner) cmd: the command decides', 'R=$(bandit -r .) make report', '', ['exit-suppressed 7:28']],
    ['$(scanner || true)', 'out=$(bandit -r . || true)\necho "$out"', '', ['exit-suppressed 7:29']],
    ['$(scanner; echo) under bash: no errexit inside', 'out=$(bandit -r .; echo x)\necho "$out"', '', ['exit-suppressed 7:28']],
    ['$(scanner | jq) without pipefail', 'n=$(trivy fs -q . | jq length)\necho "$n"', '', ['exit-suppressed 7:29']],
    ['out=$(scanner) || true', 'out=$(bandit -r .) || true', '', ['exit-suppressed 7:30']],
    ['out=$(scanner) in bash {0}, more commands after', 'out=$(bandit -r .)\necho done', 'bash {0}', ['errexit-disabled 9:16']],
    ['if ! out=$(scanner); then with no failing branch (actions/runner dependency-check.yml)', 'if ! OUT=$(npm audit --json 2>&1); then\n  RC=$?\nfi\necho "$OUT" > audit.json', '', ['exit-suppressed 7:11']],
    ['$(…) in a string argument of a scanner-free command', 'printf "%s\\n" "$(osv-scanner -r .)" > osv.txt', '', ['exit-suppressed 7:11']],
  ])('%s', (_n, script, shell, want) => {
    expect(run(script, shell)).toEqual(want);
  });

  it.each([
    ['out=$(…) alone under bash -e fails the step', 'out=$(bandit -r . -f json -o r.json)\necho done', ''],
    ['$(scanner; echo) under sh: dash keeps errexit inside', 'out=$(bandit -r .; echo x)\necho "$out"', 'sh'],
    ['$(…) after shopt -s inherit_errexit', 'shopt -s inherit_errexit\nout=$(bandit -r .; echo x)\necho "$out"', ''],
    ['$(scanner | jq) under shell: bash (pipefail)', 'n=$(trivy fs -q . | jq length)\necho "$n"', 'bash'],
    ['the output decides: a count that fails the step', 'n=$(trivy fs -q . | wc -l)\nif [ "$n" -gt 0 ]; then exit 1; fi', ''],
    ['the output decides: if [ -n "$(…)" ]; then exit 1', 'if [ -n "$(gitleaks detect --no-banner)" ]; then\n  echo leaks\n  exit 1\nfi', ''],
    ['the output decides: [ -z "$(…)" ] || exit 1', '[ -z "$(gitleaks detect --no-banner)" ] || exit 1', ''],
    ['if ! out=$(scanner); then … exit 1', 'if ! OUT=$(bandit -r . -o r.json); then\n  echo "$OUT"\n  exit 1\nfi', ''],
    ['a version query captured without pipefail is not a scan', 'V=$(trivy --version | head -1)\necho "$V"\ndocker run --rm aquasec/trivy:0.50 --version || true', ''],
    ['arithmetic is not a substitution', 'x=$((1+2))\nbandit -r .', ''],
    ['$(cd x && scanner): the scanner ends the list', 'out=$(cd src && bandit -r .)\necho "$out"', ''],
    ['$(scanner && echo ok): a failure short-circuits to the end', 'out=$(bandit -r . && echo ok)\necho "$out"', ''],
    ['substitution in single quotes is text', "echo '$(bandit -r .)'", ''],
    ['pipe with PIPESTATUS checked', 'trivy fs --exit-code 1 . | tee t.txt\nexit ${PIPESTATUS[0]}', 'bash {0}'],
    ['scanner last in the pipe', 'cat files.txt | xargs bandit', 'sh'],
    ['pipe under bash -eo pipefail {0}', 'trivy fs --exit-code 1 . | tee t.txt', 'bash -eo pipefail {0}'],
    ['pwsh: $(…) is a subexpression, not judged here', 'Write-Output "$(trivy fs .)"', 'pwsh'],
  ])('true negative: %s', (_n, script, shell) => {
    expect(run(script, shell)).toEqual([]);
  });
});

const COMPOSITE = `name: scan
description: repository scanners
runs:
  using: composite
  steps:
    - run: bandit -r . || true
      shell: bash
    - run: trivy fs --exit-code 1 . | tee t.txt
      shell: sh
    - run: semgrep scan --error
      shell: bash
      continue-on-error: true
    - uses: docker://aquasec/trivy:0.50
      with:
        args: fs --exit-code 0 .
    - run: |
        set +e
        zizmor .
        echo done
      shell: bash
    - run: grype dir:. --fail-on high | tee g.txt
      shell: bash
    - run: gitleaks detect
      shell: bash
      if: \${{ false }}
`;

describe('gap 3: composite actions', () => {
  it('each composite step is judged with its own shell; continue-on-error and if: false on composite steps', () => {
    expect(scanText(COMPOSITE, 'action.yml')).toEqual([
      'exit-suppressed 6:24',
      'exit-suppressed 8:37',
      'continue-on-error 12:26',
      'exit-suppressed 15:18',
      'errexit-disabled 18:9',
      'disabled-gate 25:11',
    ]);
  });

  const scanner = buildModel('.github/actions/scan/action.yml', `runs:\n  using: composite\n  steps:\n    - run: bandit -r src\n      shell: bash\n`);
  const plain = buildModel('.github/actions/setup/action.yml', `runs:\n  using: composite\n  steps:\n    - run: npm ci\n      shell: bash\n`);
  const nested = buildModel('.github/actions/outer/action.yml', `runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/scan\n`);
  const resolve: LocalActionResolver = (_from, uses) => ({ './.github/actions/scan': scanner, './.github/actions/setup': plain, './.github/actions/outer': nested })[uses.replace(/\/$/, '')];

  it('a local composite that runs a scanner, called with continue-on-error / if: false / from a lenient job', () => {
    const text = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/scan
        continue-on-error: true
      - uses: ./.github/actions/outer
        if: false
      - uses: ./.github/actions/setup
        continue-on-error: true
  b:
    runs-on: ubuntu-latest
    continue-on-error: true
    steps:
      - uses: ./.github/actions/scan/
`;
    expect(scanText(text, '.github/workflows/w.yml', resolve)).toEqual(['continue-on-error 7:28', 'disabled-gate 9:13', 'continue-on-error 14:24']);
  });

  it('without a resolver (or an unknown action) nothing is claimed', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/scan\n        continue-on-error: true\n      - uses: ./.github/actions/missing\n        continue-on-error: true\n`;
    expect(scanText(text)).toEqual([]);
    expect(scanText(text, '.github/workflows/w.yml', resolve)).toEqual(['continue-on-error 7:28']);
  });

  it('the gate resolver reads action.yml / action.yaml under the repository root, never outside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'gi-local-'));
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    mkdirSync(join(root, '.github/actions/scan'), { recursive: true });
    mkdirSync(join(root, 'tools/audit'), { recursive: true });
    writeFileSync(join(root, '.github/actions/scan/action.yml'), 'runs:\n  using: composite\n  steps:\n    - run: bandit -r src\n      shell: bash\n');
    writeFileSync(join(root, 'tools/audit/action.yaml'), 'runs:\n  using: composite\n  steps:\n    - run: npx --yes pip-audit\n      shell: bash\n');
    const wf = join(root, '.github/workflows/w.yml');
    const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/scan\n        continue-on-error: true\n      - uses: ./tools/audit\n        continue-on-error: true\n      - uses: ./../outside\n        continue-on-error: true\n`;
    writeFileSync(wf, text);
    const m = Object.assign(buildModel('.github/workflows/w.yml', text), { abs: wf });
    const got = analyzeIntegrity(m, new Fingerprinter(), localActionResolver(root)).map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`);
    expect(got.map((g) => g.split(' ').slice(0, 2).join(' '))).toEqual(['continue-on-error 7:28', 'continue-on-error 9:28']);
    expect(got[0]).toContain('bandit (in ./.github/actions/scan)');
  });
});

describe('gap 4: job-level and matrix continue-on-error', () => {
  const job = (coe: string, strategy: string, steps: string) => `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n${coe ? `    continue-on-error: ${coe}\n` : ''}${strategy}    steps:\n${steps}`;

  it('job-level continue-on-error: true on a job whose step runs a scanner in a container', () => {
    expect(scanText(job('true', '', '      - run: docker run --rm aquasec/trivy image --exit-code 1 x\n'))).toEqual(['continue-on-error 5:24']);
  });
  it('job-level continue-on-error: true with the scanner inside $(…)', () => {
    expect(scanText(job('true', '', '      - run: out=$(bandit -r . -o r.json)\n'))).toEqual(['continue-on-error 5:24']);
  });
  it('strategy.fail-fast: false is not a gap', () => {
    expect(scanText(job('', '    strategy:\n      fail-fast: false\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n', '      - run: bandit -r .\n'))).toEqual([]);
  });
  it('matrix.experimental true in every combination: never blocks', () => {
    expect(scanText(job('${{ matrix.experimental }}', "    strategy:\n      matrix:\n        python: ['3.11', '3.12']\n        experimental: [true]\n", '      - run: bandit -r .\n'))).toEqual(['continue-on-error 5:24']);
  });
  it('one experimental combination while the scanner also runs in blocking ones: not flagged', () => {
    const strategy = "    strategy:\n      fail-fast: false\n      matrix:\n        python: ['3.11', '3.12', '3.14-dev']\n        include:\n          - python: '3.14-dev'\n            experimental: true\n";
    expect(scanText(job('${{ matrix.experimental }}', strategy, '      - run: bandit -r .\n'))).toEqual([]);
  });
  it('the scanner runs only in the experimental combination (step if: on the matrix): flagged', () => {
    const strategy = '    strategy:\n      matrix:\n        tool: [bandit, semgrep]\n        include:\n          - tool: semgrep\n            experimental: true\n';
    const steps = "      - run: bandit -r .\n        if: matrix.tool == 'bandit'\n      - run: semgrep scan --error\n        if: ${{ matrix.tool == 'semgrep' }}\n";
    expect(scanText(job('${{ matrix.experimental }}', strategy, steps))).toEqual(['continue-on-error 5:24']);
  });
  it('an include-only matrix, != and ! forms', () => {
    const strategy = "    strategy:\n      matrix:\n        include:\n          - name: scan\n            strict: false\n";
    expect(scanText(job('${{ !matrix.strict }}', strategy, '      - run: grype dir:. --fail-on high\n'))).toEqual(['continue-on-error 5:24']);
    expect(scanText(job("${{ matrix.name != 'scan' }}", strategy, '      - run: grype dir:. --fail-on high\n'))).toEqual([]);
  });
  it('a matrix from an expression, or an unknown expression: policy, not evidence', () => {
    expect(scanText(job('${{ matrix.experimental }}', '    strategy:\n      matrix: ${{ fromJSON(needs.plan.outputs.m) }}\n', '      - run: bandit -r .\n'))).toEqual([]);
    expect(scanText(job("${{ startsWith(matrix.os, 'mac') }}", '    strategy:\n      matrix:\n        os: [macos-latest]\n', '      - run: bandit -r .\n'))).toEqual([]);
  });
});
