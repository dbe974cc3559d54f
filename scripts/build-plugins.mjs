// esbuild plugins of scripts/build.mjs that cut the cold start of every gate step
// (docs/decisions/0002-bundling.md, "Cold start"). Exported for test/meta/build-plugins.test.ts.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinModules } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * `import { x } from 'node:fs'` makes Node build an ESM facade of the whole builtin, reading every export,
 * getters included: `fs.promises` loads fs/promises, readline and the REPL history code (~14 M instructions
 * for nothing). An import of a builtin becomes a CommonJS module that `require()`s it; esbuild's interop
 * reads a property where it is used. Builtins required from CommonJS are untouched.
 */
export const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (a) => {
      if (!BUILTINS.has(a.path)) return undefined;
      if (a.namespace === 'cg-builtin' || a.kind !== 'import-statement') return { path: a.path, external: true };
      // one facade per importing file, so it lands in the importer's chunk instead of a chunk of its own
      const name = a.path.startsWith('node:') ? a.path : `node:${a.path}`;
      // (relative: the chunk hashes must not depend on where the checkout is)
      // (.cjs last: esbuild takes the module format from the extension, and the importer may be .mjs)
      return { path: `${relative(root, a.importer)}/${name}.cjs`, namespace: 'cg-builtin', pluginData: name };
    });
    // a CommonJS module: esbuild reads the properties an importer uses when it uses them (no list of
    // exports in the text, so the output does not depend on the Node version that runs the build)
    b.onLoad({ filter: /.*/, namespace: 'cg-builtin' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.pluginData)});\n`, loader: 'js' }));
  },
};

/**
 * `yaml` through its ESM build: its `node` export is CommonJS, which esbuild cannot tree-shake and wraps in
 * per-file closures (~25 M instructions more at load). The ESM build is the same code except where it
 * talks to Node; those two files are patched back to the Node behaviour (checked: the build fails if the
 * text to patch is not found exactly once). The ESM build has no LOG_TOKENS / LOG_STREAM debug printing.
 */
const yamlDir = join(root, 'node_modules/yaml/browser');
function patchOnce(text, from, to, file) {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`build: yaml ${file}: expected the text to patch once, found ${n} (yaml changed? see scripts/build.mjs)`);
  return text.replace(from, to);
}
export const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: join(yamlDir, 'index.js') }));
    b.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, (a) => ({
      contents: patchOnce(
        readFileSync(a.path, 'utf8'),
        '        console.warn(warning);',
        "        if (typeof process.emitWarning === 'function')\n            process.emitWarning(warning);\n        else\n            console.warn(warning);",
        'log.js',
      ),
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]schema[\\/]yaml-1\.1[\\/]binary\.js$/ }, (a) => {
      let t = readFileSync(a.path, 'utf8');
      t = patchOnce(t, "        if (typeof atob === 'function') {", "        if (typeof Buffer === 'function') {\n            return Buffer.from(src, 'base64');\n        }\n        else if (typeof atob === 'function') {", 'binary.js');
      t = patchOnce(
        t,
        "        if (typeof btoa === 'function') {",
        "        if (typeof Buffer === 'function') {\n            str =\n                buf instanceof Buffer\n                    ? buf.toString('base64')\n                    : Buffer.from(buf.buffer).toString('base64');\n        }\n        else if (typeof btoa === 'function') {",
        'binary.js',
      );
      return { contents: t, loader: 'js' };
    });
  },
};

