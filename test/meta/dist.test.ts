// dist/ (and the composed schema) must equal a fresh build. `npm test` builds before vitest runs, so in CI
// (a fresh clone, CI=true) any difference from the commit is a stale dist/ that was committed.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ROOT } from '../helpers/runner.js';

const inGit = (() => {
  try {
    execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('dist/ equals a fresh build', () => {
  it.runIf(process.env.CI === 'true' && inGit)('no difference between the committed dist/ and the build that npm test just made', () => {
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist', 'schemas'], { cwd: ROOT, encoding: 'utf8' });
    expect(status, 'commit the rebuilt dist/ (npm run build)').toBe('');
  });
});
