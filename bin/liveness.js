#!/usr/bin/env node
// The `liveness` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { readFileSync, existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('liveness: internal_error: the build is missing; run `npm install` (or `npm run build`) in the project folder\n');
  process.exit(4);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2), version);
