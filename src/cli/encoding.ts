import { isUtf8 } from 'node:buffer';

/**
 * The byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or undefined
 * when the whole buffer is valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF
 * count as invalid, as in the Unicode standard's table of well-formed sequences).
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    // The first continuation byte has the narrowed range; the others any continuation byte.
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      const inRange = k === 1 ? byte >= low && byte <= high : byte >= 0x80 && byte <= 0xbf;
      if (byte === undefined || !inRange) return i;
    }
    i += length;
  }
  return undefined;
}
