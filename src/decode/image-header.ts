/**
 * The picture size a still declares in its header, read before any decoder sees it, so that a
 * header claiming 60000×60000 is refused without allocating anything (ffprobe only reports such a
 * stream as having no size).
 */
import type { ContainerFormat } from '../ingest/index.js';

export function declaredImageSize(head: Uint8Array, container: ContainerFormat): { width: number; height: number } | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (container === 'png' && head.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (container === 'webp' && head.length >= 30) {
    const chunk = String.fromCharCode(...head.subarray(12, 16));
    // RIFF WebP container (Google, "WebP Container Specification"): VP8X holds 24-bit sizes minus one.
    if (chunk === 'VP8X') return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    return null;
  }
  if (container === 'jpeg') {
    let offset = 2;
    while (offset + 9 <= head.length && head[offset] === 0xff) {
      const marker = head[offset + 1]!;
      // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
      }
      offset += 2 + view.getUint16(offset + 2);
    }
  }
  return null;
}
