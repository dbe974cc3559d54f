// Replaced at bundle time by scripts/build.mjs (define); falls back to the package version in tests.
declare const __CHAINGATE_VERSION__: string | undefined;
export const SUITE_VERSION: string = typeof __CHAINGATE_VERSION__ === 'string' ? __CHAINGATE_VERSION__ : '0.0.0-dev';
