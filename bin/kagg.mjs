#!/usr/bin/env node
// Entry point: make sure dependencies are installed, then run the TypeScript CLI via tsx.
import { ensureDeps } from '../scripts/ensure-deps.mjs';

ensureDeps();
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/bin.ts');
process.exitCode = await main(process.argv.slice(2));
