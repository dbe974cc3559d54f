// Red-team cases for gate-integrity: scanners and verifiers in the forms real workflows use them, with the ways
// they are made non-blocking (|| true, ; true, soft-fail flags, background, && lists, if conditions, shells without
// errexit, pwsh) and the forms that still block. Every finding asserted (rule line:column severity).
import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';

function scan(text: string): string[] {
  const m = buildModel('.github/workflows/w.yml', text);
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter()).map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`);
}

const CASES: Array<[string, string, string[]]> = [
  [
    "- run: trivy image --exit-code 1 --severity CRITICAL myimg:latest || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: trivy image --exit-code 1 --severity CRITICAL myimg:latest || true
`,
    ["exit-suppressed 6:73 high"],
  ],
  [
    "- run: semgrep scan --error --config auto || exit 0",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: semgrep scan --error --config auto || exit 0
`,
    ["exit-suppressed 6:49 high"],
  ],
  [
    "`bandit ; true` under the default bash -e: bandit failing stops the script (true negative)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: bandit -r . -ll ; true
`,
    [],
  ],
  [
    "- run: npm audit --audit-level=high || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: npm audit --audit-level=high || true
`,
    ["exit-suppressed 6:43 high"],
  ],
  [
    "- run: checkov -d . --soft-fail",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: checkov -d . --soft-fail
`,
    ["exit-suppressed 6:27 high"],
  ],
  [
    "- run: gitleaks detect --source . --exit-code 0",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: gitleaks detect --source . --exit-code 0
`,
    ["exit-suppressed 6:41 high"],
  ],
  [
    "- run: osv-scanner --lockfile=package-lock.json || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: osv-scanner --lockfile=package-lock.json || true
`,
    ["exit-suppressed 6:55 high"],
  ],
  [
    "- run: timeout 5m cosign verify --key cosign.pub img@sha256:abc &",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: timeout 5m cosign verify --key cosign.pub img@sha256:abc &
`,
    ["exit-suppressed 6:71 high"],
  ],
  [
    "continue-on-error from an expression (advisory on PRs by policy) is not flagged",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: semgrep scan --error
        continue-on-error: \${{ github.event_name == 'pull_request' }}
`,
    [],
  ],
  [
    "- run: semgrep scan --error / continue-on-error: ${{ true }}",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: semgrep scan --error
        continue-on-error: \${{ true }}
`,
    ["continue-on-error 7:28 high"],
  ],
  [
    "steps: / - run: cosign verify-blob --bundle x.bundle x",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: cosign verify-blob --bundle x.bundle x
`,
    [],
  ],
  [
    "- run: timeout 5m cosign verify-attestation --type slsaprovenance img",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: timeout 5m cosign verify-attestation --type slsaprovenance img
`,
    [],
  ],
  [
    "- run: | / set +e / bandit -r src -f json -o out.json / if [ $? -ne 0 ]; then / echo \"issues found\" / exit 1 /",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          set +e
          bandit -r src -f json -o out.json
          if [ $? -ne 0 ]; then
            echo "issues found"
            exit 1
          fi
`,
    [],
  ],
  [
    "- run: | / set +e / trivy fs --exit-code 1 . / status=$? / set -e / echo \"trivy exit $status\" (captured, never used to fail)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          set +e
          trivy fs --exit-code 1 .
          status=$?
          set -e
          echo "trivy exit $status"
`,
    // decision 0970: the status is captured but only printed, never used to fail (was a true negative)
    ["errexit-disabled 8:11 high"],
  ],
  [
    "`|| true` on another command on the scanner's line (`bandit -r . ; rm -f x || true`)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: bandit -r . ; rm -f x || true
`,
    [],
  ],
  [
    "`|| true` on other lines of the script",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          rm -rf reports || true
          bandit -r src
          mkdir -p out || true
`,
    [],
  ],
  [
    "trivy-action exit-code from an expression is not flagged",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          exit-code: \${{ inputs.strict && '1' || '0' }}
`,
    [],
  ],
  [
    "- uses: aquasecurity/trivy-action@0.28.0 / with: / image-ref: img / exit-code: '1' / severity: CRITICAL,HIGH",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          image-ref: img
          exit-code: '1'
          severity: CRITICAL,HIGH
`,
    [],
  ],
  [
    "trivy-action without exit-code (reporting configuration) is not flagged (decision 0851)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          image-ref: img
`,
    [],
  ],
  [
    "semgrep scan without --error writing SARIF is not flagged (decision 0851)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: semgrep scan --config auto --sarif -o semgrep.sarif
`,
    [],
  ],
  [
    "- run: grype dir:. --fail-on high | tee grype.txt / shell: bash",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: grype dir:. --fail-on high | tee grype.txt
        shell: bash
`,
    [],
  ],
  [
    "- run: zizmor --format sarif . > zizmor.sarif || echo \"::warning::zizmor found issues\"",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: zizmor --format sarif . > zizmor.sarif || echo "::warning::zizmor found issues"
`,
    ["exit-suppressed 6:53 high"],
  ],
  [
    "- run: pip-audit -r requirements.txt --strict",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: pip-audit -r requirements.txt --strict
`,
    [],
  ],
  [
    "- run: trufflehog git file://. --only-verified --fail",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: trufflehog git file://. --only-verified --fail
`,
    [],
  ],
  [
    "cosign's own --timeout does not count as a limit",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: cosign verify --timeout 2m --key k img
`,
    ["verifier-no-timeout 6:14 medium"],
  ],
  [
    "- uses: slsa-framework/slsa-verifier/actions/installer@v2.6.0 / - run: slsa-verifier verify-artifact a --prove",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: slsa-framework/slsa-verifier/actions/installer@v2.6.0
      - run: slsa-verifier verify-artifact a --provenance-path p --source-uri github.com/o/r
        timeout-minutes: 5
`,
    [],
  ],
  [
    "- run: npm audit fix --force || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: npm audit fix --force || true
`,
    [],
  ],
  [
    "- uses: returntocorp/semgrep-action@v1 / continue-on-error: true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: returntocorp/semgrep-action@v1
        continue-on-error: true
`,
    ["continue-on-error 7:28 high"],
  ],
  [
    "- uses: bridgecrewio/checkov-action@v12 / with: / directory: . / soft_fail: true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: bridgecrewio/checkov-action@v12
        with:
          directory: .
          soft_fail: true
`,
    ["exit-suppressed 9:22 high"],
  ],
  [
    "- uses: gitleaks/gitleaks-action@v2 / env: / GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: gitleaks/gitleaks-action@v2
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
    [],
  ],
  [
    "- run: bandit -r . || { echo \"bandit failed\"; }",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: bandit -r . || { echo "bandit failed"; }
`,
    ["exit-suppressed 6:26 high"],
  ],
  [
    "- run: | / semgrep scan --error \\ / --config p/ci \\ / || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          semgrep scan --error \\
            --config p/ci \\
            || true
`,
    ["exit-suppressed 9:13 high"],
  ],
  [
    "- run: | / set +e / trivy fs --exit-code 1 . | tee out.txt / exit ${PIPESTATUS[0]} / shell: bash",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          set +e
          trivy fs --exit-code 1 . | tee out.txt
          exit \${PIPESTATUS[0]}
        shell: bash
`,
    [],
  ],
  [
    "- run: trivy fs --exit-code 1 . / if: always()",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: trivy fs --exit-code 1 .
        if: always()
`,
    [],
  ],
  [
    "steps: / - run: gitleaks detect",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    if: false
    steps:
      - run: gitleaks detect
`,
    ["disabled-gate 5:9 high"],
  ],
  [
    "`if: ${{ false && \u2026 }}` disables the step",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: gitleaks detect
        if: \${{ false && github.event_name == 'push' }}
`,
    ["disabled-gate 7:13 high"],
  ],
  [
    "- run: npm audit --audit-level=critical || exit 1",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: npm audit --audit-level=critical || exit 1
`,
    [],
  ],
  [
    "- run: yarn audit --groups dependencies || true",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: yarn audit --groups dependencies || true
`,
    ["exit-suppressed 6:47 high"],
  ],
  [
    "- run: pnpm audit --prod --audit-level high; echo \"done\"",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: pnpm audit --prod --audit-level high; echo "done"
`,
    [],
  ],
  [
    "- run: | / set +e / osv-scanner -r . > osv.txt / cat osv.txt",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          set +e
          osv-scanner -r . > osv.txt
          cat osv.txt
`,
    ["errexit-disabled 8:11 high"],
  ],
  [
    "- run: | / if ! bandit -r src; then / echo \"::warning::bandit found issues\" / fi / echo done",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          if ! bandit -r src; then
            echo "::warning::bandit found issues"
          fi
          echo done
`,
    ["exit-suppressed 7:11 high"],
  ],
  [
    "- run: | / if ! trivy fs --exit-code 1 .; then / echo \"::error::vulnerabilities\" / exit 1 / fi",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          if ! trivy fs --exit-code 1 .; then
            echo "::error::vulnerabilities"
            exit 1
          fi
`,
    [],
  ],
  [
    "a verifier in an if condition that exits 1 still needs a timeout",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          if ! cosign verify --key k img; then exit 1; fi
`,
    ["verifier-no-timeout 7:16 medium"],
  ],
  [
    "- run: | / bandit -r src && echo \"bandit clean\" / echo \"next\"",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          bandit -r src && echo "bandit clean"
          echo "next"
`,
    ["exit-suppressed 7:25 high"],
  ],
  [
    "- run: | / echo start / bandit -r src && echo \"bandit clean\"",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo start
          bandit -r src && echo "bandit clean"
`,
    [],
  ],
  [
    "`cd src && bandit -r .`: the scanner ends the && list, so bash -e stops on it",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          cd src && bandit -r .
          echo ok
`,
    [],
  ],
  [
    "- run: | / bandit -r src / Write-Host \"done\" / shell: pwsh",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          bandit -r src
          Write-Host "done"
        shell: pwsh
`,
    ["errexit-disabled 9:16 high"],
  ],
  [
    "- run: | / bandit -r src / if ($LASTEXITCODE -ne 0) { exit 1 } / Write-Host \"done\" / shell: pwsh",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          bandit -r src
          if ($LASTEXITCODE -ne 0) { exit 1 }
          Write-Host "done"
        shell: pwsh
`,
    [],
  ],
  [
    "- run: | / semgrep scan --error / echo done",
    `on: push
jobs:
  scan:
    runs-on: windows-latest
    steps:
      - run: |
          semgrep scan --error
          echo done
`,
    ["errexit-disabled 7:11 high"],
  ],
  [
    "- run: semgrep scan --error",
    `on: push
jobs:
  scan:
    runs-on: windows-latest
    steps:
      - run: semgrep scan --error
`,
    [],
  ],
  [
    "custom `shell: bash {0}` has no -e: `bandit ; true` never fails (points at the shell value)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          bandit -r . ; true
        shell: bash {0}
`,
    ["errexit-disabled 8:16 high"],
  ],
  [
    "custom `shell: bash -e {0}` keeps errexit",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          bandit -r . ; true
        shell: bash -e {0}
`,
    [],
  ],
  [
    "shell: bash on Windows keeps errexit",
    `on: push
jobs:
  scan:
    runs-on: windows-latest
    steps:
      - run: |
          semgrep scan --error
          echo done
        shell: bash
`,
    [],
  ],
  [
    "a backgrounded verifier whose pid is waited for",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          timeout 300 cosign verify --key k img1 &
          p1=$!
          timeout 300 cosign verify --key k img2
          wait $p1
`,
    [],
  ],
  [
    "- run: | / trivy fs --exit-code 1 . && echo ok || exit 1 / echo next",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: |
          trivy fs --exit-code 1 . && echo ok || exit 1
          echo next
`,
    [],
  ],
  [
    "defaults.run.shell pwsh: a scanner that is not the last command never fails the step (points at the tool)",
    `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: pwsh
    steps:
      - run: |
          npm audit --audit-level=high
          echo x
`,
    ["errexit-disabled 10:11 high"],
  ],
];

describe('gate-integrity red team', () => {
  it.each(CASES)('%s', (_name, text, want) => {
    expect(scan(text)).toEqual(want);
  });
});
