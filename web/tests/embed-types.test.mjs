// web/embed/fcnet.d.ts type-checks against typical use (skipped, visibly, when tsc is not installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const usage = path.join(path.dirname(fileURLToPath(import.meta.url)), 'embed-types-usage.ts');
const tsc = spawnSync('tsc', ['--version'], { encoding: 'utf8' });

test('fcnet.d.ts type-checks with tsc --strict', { skip: tsc.status !== 0 && 'tsc not installed (Debian: node-typescript)' }, () => {
  const run = spawnSync('tsc', ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022',
                                '--moduleResolution', 'node', '--lib', 'es2022,dom', usage], { encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});
