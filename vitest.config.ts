import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/reporters/closing-line.ts'],
    // @actions/workflow-parser imports its JSON schema without an import attribute: let vite transform it
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
