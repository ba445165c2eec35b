/** The UTF-8 length of `s` in bytes, without encoding it (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(s: string): number {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** True when the message is larger than `max` bytes (text measured in UTF-8). */
export function exceeds(data: string | ArrayBuffer | ArrayBufferView, max: number): boolean {
  if (typeof data !== 'string') return data.byteLength > max
  if (data.length * 3 <= max) return false
  return data.length > max || utf8Length(data) > max
}
