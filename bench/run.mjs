// `npm run bench`: bundles every bench/*.bench.ts with esbuild and runs them one after the other.
// Each prints its own numbers. Usage: npm run bench [-- name-filter]
import { build } from 'esbuild';
import { readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];
const out = join(root, '.tmp', 'bench');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
let failed = 0;
for (const f of files) {
  const outfile = join(out, f.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(root, 'bench', f)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    // node22+: esbuild keeps `with { type: 'json' }` on external JSON imports only for targets that support it
    target: 'node22',
    packages: 'external',
    // keep JSON imported from packages (e.g. @sigstore/tuf/seeds.json) inside the bundle: an external JSON import
    // needs an import attribute that the node20 target drops
    plugins: [{ name: 'bundle-package-json', setup: (b) => b.onResolve({ filter: /^[@\w][^:]*\.json$/ }, (a) => ({ path: createRequire(join(root, 'package.json')).resolve(a.path) })) }],
    logLevel: 'warning',
  });
  console.log(`\n## ${f}  (node ${process.version})`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root, env: { ...process.env, CHAINGATE_ROOT: root } });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
