import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { readServerConfig, SERVER_SETTINGS } from '../../src/server/config.js';

test('defaults: private host, port 8080, ./data, auth on, no URL hosts, 30 days, frozen', () => {
  const config = readServerConfig({});
  assert.deepEqual(config, {
    host: '127.0.0.1',
    port: 8080,
    dataDir: resolve('data'),
    auth: true,
    urlAllowlist: [],
    retentionDays: 30,
    concurrency: 2,
    maxQueue: 16,
    calibration: null,
    frameAncestors: [],
    webhookMaxAttempts: 6,
    webhookRetryBaseMs: 2000,
    shutdownGraceS: 25,
    challengeUploadS: 60,
    logLevel: 'info',
  });
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.urlAllowlist));
  assert.throws(() => {
    (config as { port: number }).port = 1;
  }, TypeError);
});

test('every setting has its variable, a doc line and a default that passes its own validation', () => {
  for (const [field, setting] of Object.entries(SERVER_SETTINGS)) {
    assert.match(setting.env, /^LIVENESS_[A-Z_]+$/, field);
    assert.ok(setting.doc.length > 20, field);
    assert.ok('value' in setting.parse(setting.default), field);
  }
});

test('values are read from the environment; empty means unset', () => {
  const config = readServerConfig({
    LIVENESS_HOST: '0.0.0.0',
    LIVENESS_PORT: '9000',
    LIVENESS_DATA_DIR: '/var/lib/liveness',
    LIVENESS_AUTH: 'off',
    LIVENESS_URL_ALLOWLIST: ' cdn.example.com, 10.0.0.0/8 ,2001:db8::/32,192.168.1.7',
    LIVENESS_RETENTION_DAYS: '0',
    LIVENESS_CONCURRENCY: '',
    LIVENESS_MAX_QUEUE: '4',
  });
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.port, 9000);
  assert.equal(config.dataDir, '/var/lib/liveness');
  assert.equal(config.auth, false);
  assert.equal(config.retentionDays, 0);
  assert.equal(config.concurrency, 2);
  assert.equal(config.maxQueue, 4);
  assert.deepEqual(config.urlAllowlist, [
    { kind: 'host', host: 'cdn.example.com' },
    { kind: 'cidr', address: '10.0.0.0', prefixLength: 8, family: 'ipv4' },
    { kind: 'cidr', address: '2001:db8::', prefixLength: 32, family: 'ipv6' },
    { kind: 'cidr', address: '192.168.1.7', prefixLength: 32, family: 'ipv4' },
  ]);
});

test('a bad value stops start-up with a message naming the variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ LIVENESS_PORT: 'http' }, "Expected an integer from 0 to 65535 for LIVENESS_PORT but received 'http' of type string"],
    [{ LIVENESS_PORT: '70000' }, "Expected an integer from 0 to 65535 for LIVENESS_PORT but received '70000' of type string"],
    [{ LIVENESS_AUTH: 'yes' }, "Expected 'on' or 'off' for LIVENESS_AUTH but received 'yes' of type string"],
    [{ LIVENESS_RETENTION_DAYS: '-1' }, "Expected an integer from 0 to 36500 for LIVENESS_RETENTION_DAYS but received '-1' of type string"],
    [{ LIVENESS_MAX_QUEUE: '2.5' }, "Expected an integer from 1 to 10000 for LIVENESS_MAX_QUEUE but received '2.5' of type string"],
    [{ LIVENESS_WEBHOOK_MAX_ATTEMPTS: '0' }, "Expected an integer from 1 to 20 for LIVENESS_WEBHOOK_MAX_ATTEMPTS but received '0' of type string"],
    [{ LIVENESS_WEBHOOK_RETRY_BASE_MS: '2s' }, "Expected an integer from 1 to 3600000 for LIVENESS_WEBHOOK_RETRY_BASE_MS but received '2s' of type string"],
    [{ LIVENESS_CHALLENGE_UPLOAD_S: '1' }, "Expected an integer from 5 to 3600 for LIVENESS_CHALLENGE_UPLOAD_S but received '1' of type string"],
    [{ LIVENESS_HOST: 'a b' }, "Expected a host name or IP address for LIVENESS_HOST but received 'a b' of type string"],
    [{ LIVENESS_FRAME_ANCESTORS: 'https://app.example.com/page' }, "Expected origins such as https://app.example.com (scheme, host and port only) in each item for LIVENESS_FRAME_ANCESTORS but received 'https://app.example.com/page' of type string"],
    [{ LIVENESS_CALIBRATION: '/nonexistent/calibration.json' }, "Expected an existing calibration file for LIVENESS_CALIBRATION but received '/nonexistent/calibration.json' of type string"],
    [
      { LIVENESS_URL_ALLOWLIST: 'example.com,10.0.0.0/33' },
      "Expected a host name or a CIDR network (such as 10.0.0.0/8) in each item for LIVENESS_URL_ALLOWLIST but received '10.0.0.0/33' of type string",
    ],
    [
      { LIVENESS_URL_ALLOWLIST: 'https://example.com' },
      "Expected a host name or a CIDR network (such as 10.0.0.0/8) in each item for LIVENESS_URL_ALLOWLIST but received 'https://example.com' of type string",
    ],
  ];
  for (const [env, message] of cases) assert.throws(() => readServerConfig(env), { code: 'invalid_config', message });
});
