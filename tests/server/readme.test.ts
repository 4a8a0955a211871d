/** The README's HTTP API section stays complete: every error code with its status, every setting. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_TABLE } from '../../src/errors.js';
import { SERVER_SETTINGS } from '../../src/server/config.js';

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## HTTP API'));

test('the HTTP API section lists every error code with its status', () => {
  assert.ok(section.length > 0 && readme.includes('## HTTP API'));
  for (const [code, spec] of Object.entries(ERROR_TABLE)) {
    assert.match(section, new RegExp(`^\\| \`${code}\` \\| ${spec.httpStatus} \\|`, 'm'), code);
  }
});

test('the HTTP API section lists every setting with its default', () => {
  for (const setting of Object.values(SERVER_SETTINGS)) {
    const shown = setting.default === '' ? '(empty)' : `\`${setting.default}\``;
    assert.ok(section.includes(`| \`${setting.env}\` | ${shown} |`), setting.env);
  }
});
