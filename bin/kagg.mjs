#!/usr/bin/env node
// Entry point: make sure dependencies are installed, then run the CLI from its precompiled
// bundle when it is fresh (scripts/cli-bundle.mjs), else the TypeScript sources via tsx.
import { ensureDeps } from '../scripts/ensure-deps.mjs';
import { cliBundleUrl } from '../scripts/cli-bundle.mjs';

ensureDeps();
const bundle = await cliBundleUrl();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/bin.ts'));
}
process.exitCode = await main(process.argv.slice(2));
