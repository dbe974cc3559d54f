import { describe, expect, it } from 'vitest';
import { Fingerprinter } from '../../../src/core/fingerprint.js';
import { buildModel } from '../../../src/gates/prt-guard/model.js';
import { analyzeIntegrity } from '../../../src/gates/gate-integrity/analyze.js';

function scan(steps: string, job = '') {
  const m = buildModel('.github/workflows/w.yml', `on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n${job}    steps:\n${steps}`);
  expect(m.errors).toEqual([]);
  return analyzeIntegrity(m, new Fingerprinter()).map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`);
}

describe('gate-integrity true positives (exact positions)', () => {
  it('continue-on-error on a scanner step, at the value', () => {
    expect(scan(`      - run: bandit -r src\n        continue-on-error: true\n`)).toEqual(['continue-on-error 7:28 high']);
  });
  it('continue-on-error on a job holding a scanner', () => {
    expect(scan(`      - uses: aquasecurity/trivy-action@0.28.0\n`, `    continue-on-error: true\n`)).toEqual(['continue-on-error 5:24 high']);
  });
  it('--exit-zero and --soft-fail flags', () => {
    expect(scan(`      - run: bandit -r . --exit-zero\n      - run: checkov -d . --soft-fail\n`)).toEqual(['exit-suppressed 6:26 high', 'exit-suppressed 7:27 high']);
  });
  it('|| true, || exit 0 and ; exit 0 inside run: | blocks', () => {
    expect(scan(`      - run: |\n          semgrep scan --error || true\n          trivy fs --exit-code 1 . || exit 0\n          gitleaks detect; exit 0\n`)).toEqual([
      'exit-suppressed 7:32 high',
      'exit-suppressed 8:36 high',
      'exit-suppressed 9:26 high',
    ]);
  });
  it('|| echo swallows the failure too', () => {
    expect(scan(`      - run: npm audit --audit-level=high || echo "audit failed"\n`)).toEqual(['exit-suppressed 6:43 high']);
  });
  it('set +e with no later check', () => {
    expect(scan(`      - run: |\n          set +e\n          zizmor .github/workflows\n          echo done\n`)).toEqual(['errexit-disabled 8:11 high']);
  });
  it('if: false on a step and on a job', () => {
    expect(scan(`      - run: grype dir:.\n        if: false\n`)).toEqual(['disabled-gate 7:13 high']);
    expect(scan(`      - run: osv-scanner -r .\n`, `    if: \${{ false }}\n`)).toEqual(['disabled-gate 5:9 high']);
  });
  it('cosign verify and slsa-verifier without a timeout', () => {
    expect(scan(`      - run: cosign verify-blob --bundle a.sigstore.json a.tgz\n      - run: slsa-verifier verify-artifact a --provenance-path p --source-uri github.com/o/r\n`)).toEqual([
      'verifier-no-timeout 6:14 medium',
      'verifier-no-timeout 7:14 medium',
    ]);
  });
  it('bandit -f json to stdout', () => {
    expect(scan(`      - run: bandit -r src -f json > bandit.json\n`)).toEqual(['bandit-json-stdout 6:28 medium']);
  });
  it('a scanner piped into tee under the default shell (no pipefail)', () => {
    expect(scan(`      - run: trivy fs --exit-code 1 . | tee trivy.txt\n`)).toEqual(['exit-suppressed 6:39 high']);
  });
  it('action inputs that never fail', () => {
    expect(scan(`      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          exit-code: '0'\n`)).toEqual(['exit-suppressed 8:23 high']);
  });
});

describe('gate-integrity true negatives', () => {
  it.each([
    ['a blocking bandit with -o', '      - run: bandit -r src -f json -o bandit.json\n'],
    ['set +e with an exit-status check', '      - run: |\n          set +e\n          bandit -r src\n          rc=$?\n          echo "bandit exited $rc"\n          exit $rc\n'],
    ['set +e with the scanner last', '      - run: |\n          set +e\n          echo scanning\n          bandit -r src\n'],
    ['|| exit 1', '      - run: semgrep scan --error || exit 1\n'],
    ['|| { echo; exit 1; }', '      - run: gitleaks detect || { echo "leaks"; exit 1; }\n'],
    ['cosign under timeout', '      - run: timeout 300 cosign verify --certificate-identity x --certificate-oidc-issuer y img@sha256:abc\n'],
    ['cosign with step timeout-minutes', '      - run: cosign verify-attestation --type slsaprovenance1 img\n        timeout-minutes: 5\n'],
    ['pipe under shell: bash (pipefail)', '      - run: trivy fs --exit-code 1 . | tee trivy.txt\n        shell: bash\n'],
    ['pipe after set -o pipefail', '      - run: |\n          set -o pipefail\n          trivy fs --exit-code 1 . | tee t.txt\n'],
    ['continue-on-error on a non-security step', '      - run: npm test\n        continue-on-error: true\n'],
    ['|| true on an installer', '      - run: pip install bandit || true\n'],
    ['npm audit fix is not a check', '      - run: npm audit fix || true\n'],
    ['cosign sign is not a verifier', '      - run: cosign sign --yes img@sha256:abc\n'],
    ['matrix continue-on-error', '      - run: semgrep scan --error\n        continue-on-error: ${{ matrix.experimental }}\n'],
    ['echo mentions a tool', '      - run: echo "run bandit --exit-zero locally" || true\n'],
    ['heredoc text', "      - run: |\n          cat <<'EOF' > notes.md\n          bandit -r . || true\n          EOF\n"],
  ])('%s', (_n, steps) => {
    expect(scan(steps)).toEqual([]);
  });
});
