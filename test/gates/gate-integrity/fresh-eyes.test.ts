// Decision 0970, fresh-eyes pass: whole workflows shaped like real CI (SARIF upload after a continue-on-error
// scanner with a later outcome gate, gates in a later job, matrix jobs, reusable workflows, scanner actions and
// CLIs with their real exit contracts). Every finding asserted as `rule line:column`; true negatives beside each.
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';

function scan(text: string): string[] {
  const m = buildModel('.github/workflows/w.yml', text);
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter()).map((f) => `${f.rule} ${f.line}:${f.column}`);
}

const HEAD = 'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n';

describe('fresh eyes: real-CI shapes', () => {
  it.each<[string, string, string[]]>([
    [
      'trivy-action exit-code 1 + continue-on-error + SARIF upload, then a gate on steps.trivy.outcome',
      `${HEAD}  trivy:
    runs-on: ubuntu-latest
    permissions:
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - uses: aquasecurity/trivy-action@0.28.0
        id: trivy
        continue-on-error: true
        with:
          scan-type: fs
          exit-code: '1'
          format: sarif
          output: trivy.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: trivy.sarif
      - name: Fail on findings
        if: steps.trivy.outcome == 'failure'
        run: |
          echo "::error::trivy found vulnerabilities"
          exit 1
`,
      [],
    ],
    [
      'the same, but the later step only warns',
      `${HEAD}  trivy:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.28.0
        id: trivy
        continue-on-error: true
        with:
          exit-code: '1'
          format: sarif
          output: trivy.sarif
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: trivy.sarif
      - if: steps.trivy.outcome == 'failure'
        run: echo "::warning::trivy found vulnerabilities"
`,
      ['continue-on-error 10:28'],
    ],
    [
      'a gate on steps.X.conclusion never fires (conclusion is success under continue-on-error)',
      `${HEAD}  grype:
    runs-on: ubuntu-latest
    steps:
      - uses: anchore/scan-action@v6
        id: scan
        continue-on-error: true
        with:
          path: .
          fail-build: true
      - if: steps.scan.conclusion == 'failure'
        run: exit 1
`,
      ['continue-on-error 10:28'],
    ],
    [
      'the outcome exported as a job output and a later job fails on it',
      `${HEAD}  scan:
    runs-on: ubuntu-latest
    outputs:
      semgrep: \${{ steps.semgrep.outcome }}
    steps:
      - run: semgrep ci --sarif --output semgrep.sarif
        id: semgrep
        continue-on-error: true
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: semgrep.sarif
  gate:
    needs: scan
    runs-on: ubuntu-latest
    steps:
      - if: needs.scan.outputs.semgrep == 'failure'
        run: exit 1
`,
      [],
    ],
    [
      'a job output of the outcome that no later job fails on',
      `${HEAD}  scan:
    runs-on: ubuntu-latest
    outputs:
      semgrep: \${{ steps.semgrep.outcome }}
    steps:
      - run: semgrep ci
        id: semgrep
        continue-on-error: true
  report:
    needs: scan
    runs-on: ubuntu-latest
    steps:
      - run: echo "semgrep \${{ needs.scan.outputs.semgrep }}"
`,
      ['continue-on-error 12:28'],
    ],
    [
      'matrix over scanners, continue-on-error only for an experimental OS: the scan blocks elsewhere',
      `${HEAD}  audit:
    runs-on: \${{ matrix.os }}
    continue-on-error: \${{ matrix.experimental }}
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest]
        experimental: [false]
        include:
          - os: windows-latest
            experimental: true
    steps:
      - run: pip-audit -r requirements.txt
        shell: bash
`,
      [],
    ],
    [
      'matrix: the scanner step runs only in the experimental combination',
      `${HEAD}  scan:
    runs-on: ubuntu-latest
    continue-on-error: \${{ matrix.experimental }}
    strategy:
      matrix:
        tool: [lint, osv]
        include:
          - tool: osv
            experimental: true
    steps:
      - if: matrix.tool == 'osv'
        run: osv-scanner scan source -r .
`,
      ['continue-on-error 7:24'],
    ],
    [
      'reusable osv-scanner workflow with fail-on-vuln: false',
      `${HEAD}  osv:
    uses: google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml@v2.0.0
    with:
      fail-on-vuln: false
      scan-args: -r ./
`,
      ['exit-suppressed 8:21'],
    ],
    [
      'a reusable workflow whose continue-on-error comes from an input: policy, not evidence',
      `on:
  workflow_call:
    inputs:
      soft:
        type: boolean
        default: false
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: trivy fs --exit-code 1 .
        continue-on-error: \${{ inputs.soft }}
`,
      [],
    ],
    [
      'gitleaks action with continue-on-error, nothing gates it',
      `${HEAD}  secrets:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: gitleaks/gitleaks-action@v2
        continue-on-error: true
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
      ['continue-on-error 12:28'],
    ],
    [
      'pip-audit action with its allow-failure input',
      `${HEAD}  audit:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pip-audit@v1.1.0
        with:
          inputs: requirements.txt
          internal-be-careful-allow-failure: true
`,
      ['exit-suppressed 11:46'],
    ],
    [
      'gosec action with -no-fail in args and a SARIF upload',
      `${HEAD}  gosec:
    runs-on: ubuntu-latest
    steps:
      - uses: securego/gosec@v2.21.4
        with:
          args: '-no-fail -fmt sarif -out results.sarif ./...'
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: results.sarif
`,
      ['exit-suppressed 10:18'],
    ],
    [
      'zizmor action with advanced-security (SARIF to code scanning): a reporter, not flagged',
      `${HEAD}  zizmor:
    runs-on: ubuntu-latest
    permissions:
      security-events: write
    steps:
      - uses: zizmorcore/zizmor-action@v0.2.0
`,
      [],
    ],
    [
      'checkov with --soft-fail and --hard-fail-on HIGH still blocks on HIGH',
      `${HEAD}  iac:
    runs-on: ubuntu-latest
    steps:
      - run: checkov -d infra --soft-fail --hard-fail-on HIGH,CRITICAL -o sarif --output-file-path results
`,
      [],
    ],
    [
      'npm audit in a test job step named audit, && echo then more commands',
      `${HEAD}  audit:
    runs-on: ubuntu-latest
    steps:
      - run: |
          npm ci
          npm audit --audit-level=high && echo "no high vulnerabilities"
          npm run build
`,
      ['exit-suppressed 10:40'],
    ],
    [
      'govulncheck installed then run: the scanner ends the && list',
      `${HEAD}  vuln:
    runs-on: ubuntu-latest
    steps:
      - run: go install golang.org/x/vuln/cmd/govulncheck@latest && govulncheck ./...
`,
      [],
    ],
    [
      'trivy image piped to tee, PIPESTATUS handed on (default shell)',
      `${HEAD}  image:
    runs-on: ubuntu-latest
    steps:
      - run: |
          trivy image --exit-code 1 --severity CRITICAL app:\${{ github.sha }} 2>&1 | tee trivy.log
          exit \${PIPESTATUS[0]}
`,
      [],
    ],
    [
      'tfsec with --soft-fail writing SARIF',
      `${HEAD}  tfsec:
    runs-on: ubuntu-latest
    steps:
      - run: tfsec . --format sarif --out tfsec.sarif --soft-fail
`,
      ['exit-suppressed 8:55'],
    ],
    [
      'bandit in a job with continue-on-error: true at job level',
      `${HEAD}  bandit:
    runs-on: ubuntu-latest
    continue-on-error: true
    steps:
      - run: pipx run bandit -r src -ll
`,
      ['continue-on-error 7:24'],
    ],
    [
      'set +e, scanner, status to GITHUB_OUTPUT, a later step fails on it',
      `${HEAD}  scan:
    runs-on: ubuntu-latest
    steps:
      - id: trivy
        run: |
          set +e
          trivy fs --exit-code 1 . > trivy.txt
          echo "rc=$?" >> "$GITHUB_OUTPUT"
      - if: steps.trivy.outputs.rc != '0'
        run: |
          cat trivy.txt
          exit 1
`,
      [],
    ],
    [
      'cosign verify in a matrix job with timeout-minutes on the job',
      `${HEAD}  verify:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    strategy:
      matrix:
        image: [api, web]
    steps:
      - run: cosign verify --certificate-identity-regexp '^https://github.com/o/r/' --certificate-oidc-issuer https://token.actions.githubusercontent.com ghcr.io/o/\${{ matrix.image }}:latest
`,
      [],
    ],
  ])('%s', (_n, text, want) => {
    expect(scan(text)).toEqual(want);
  });
});
