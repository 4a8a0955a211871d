/**
 * Recognises media by its bytes, never by name, extension or a declared Content-Type.
 * Signatures: ISO/IEC 14496-12 (ISO BMFF `ftyp`), RFC 8794 (EBML, for Matroska and WebM),
 * RIFF (AVI, WebP), JPEG SOI, PNG (RFC 2083).
 */

export type ContainerFormat = 'mp4' | 'matroska' | 'avi' | 'jpeg' | 'png' | 'webp';
export type MediaClass = 'video' | 'image';

export interface SniffedFormat {
  readonly container: ContainerFormat;
  readonly mediaClass: MediaClass;
}

/** Bytes needed to recognise every supported format. */
export const SNIFF_BYTES = 16;

const ISO_BMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

export function sniffFormat(head: Uint8Array): SniffedFormat | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { container: 'jpeg', mediaClass: 'image' };
  if (head.length >= 8 && ascii(1, 4) === 'PNG' && head[0] === 0x89 && head[4] === 0x0d && head[5] === 0x0a) {
    return { container: 'png', mediaClass: 'image' };
  }
  if (head.length >= 12 && ascii(0, 4) === 'RIFF') {
    if (ascii(8, 12) === 'WEBP') return { container: 'webp', mediaClass: 'image' };
    if (ascii(8, 12) === 'AVI ') return { container: 'avi', mediaClass: 'video' };
    return null;
  }
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return { container: 'matroska', mediaClass: 'video' };
  }
  if (head.length >= 8 && ISO_BMFF_BOXES.has(ascii(4, 8))) return { container: 'mp4', mediaClass: 'video' };
  return null;
}
