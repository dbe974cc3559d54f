import { main } from '../cli.js';

main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`chaingate: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 2;
  },
);
