import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffFormat } from '../../src/ingest/sniff.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('recognises each supported format by its bytes', () => {
  assert.deepEqual(sniffFormat(bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0])), { container: 'mp4', mediaClass: 'video' });
  assert.deepEqual(sniffFormat(bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0])), { container: 'mp4', mediaClass: 'video' });
  assert.deepEqual(sniffFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81])), { container: 'matroska', mediaClass: 'video' });
  assert.deepEqual(sniffFormat(bytes('RIFF', [1, 2, 3, 4], 'AVI LIST')), { container: 'avi', mediaClass: 'video' });
  assert.deepEqual(sniffFormat(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')), { container: 'webp', mediaClass: 'image' });
  assert.deepEqual(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF')), { container: 'jpeg', mediaClass: 'image' });
  assert.deepEqual(sniffFormat(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])), { container: 'png', mediaClass: 'image' });
});

test('refuses text, truncated headers and other RIFF types', () => {
  assert.equal(sniffFormat(bytes('this is not a video at all')), null);
  assert.equal(sniffFormat(bytes([0xff, 0xd8])), null);
  assert.equal(sniffFormat(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')), null);
  assert.equal(sniffFormat(new Uint8Array(0)), null);
});
