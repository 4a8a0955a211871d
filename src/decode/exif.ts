/**
 * Reads the EXIF orientation of a JPEG (CIPA DC-008, tag 0x0112), which phone cameras set instead
 * of rotating the pixels. The 2018 ffmpeg build does not apply it to stills, so we do.
 */
export function readJpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2; // after SOI
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return 1;
    const marker = bytes[offset + 1];
    const segmentLength = view.getUint16(offset + 2);
    if (marker === 0xda || marker === 0xd9) return 1; // start of scan / end: no EXIF before the image data
    if (marker === 0xe1 && offset + 10 <= bytes.length && String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)) === 'Exif') {
      return readTiffOrientation(view, offset + 10, Math.min(bytes.length, offset + 2 + segmentLength));
    }
    offset += 2 + segmentLength;
  }
  return 1;
}

function readTiffOrientation(view: DataView, tiffStart: number, end: number): number {
  if (tiffStart + 8 > end) return 1;
  const littleEndian = view.getUint16(tiffStart) === 0x4949;
  const ifdOffset = view.getUint32(tiffStart + 4, littleEndian);
  const ifdStart = tiffStart + ifdOffset;
  if (ifdStart + 2 > end) return 1;
  const entries = view.getUint16(ifdStart, littleEndian);
  for (let i = 0; i < entries; i++) {
    const entry = ifdStart + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (view.getUint16(entry, littleEndian) === 0x0112) {
      const value = view.getUint16(entry + 8, littleEndian);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** The ffmpeg filters that display an image with EXIF orientation 1–8 upright. */
export function orientationFilters(orientation: number): { filters: string[]; swapsAxes: boolean } {
  switch (orientation) {
    case 2: return { filters: ['hflip'], swapsAxes: false };
    case 3: return { filters: ['hflip', 'vflip'], swapsAxes: false };
    case 4: return { filters: ['vflip'], swapsAxes: false };
    case 5: return { filters: ['transpose=0'], swapsAxes: true };
    case 6: return { filters: ['transpose=1'], swapsAxes: true };
    case 7: return { filters: ['transpose=3'], swapsAxes: true };
    case 8: return { filters: ['transpose=2'], swapsAxes: true };
    default: return { filters: [], swapsAxes: false };
  }
}
