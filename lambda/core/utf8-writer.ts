// Text written straight to UTF-8 bytes: a large output built from many strings is never held as
// one string (which V8 stores at two bytes a character once one character is outside Latin-1).

/** UTF-8 appended into one buffer that doubles when full, so the parts are never held twice. */
export class Utf8Writer {
  private buffer: Buffer;
  private used = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  write(text: string): void {
    // Three bytes per UTF-16 unit at most: only a write that might not fit pays for counting its bytes.
    if (this.used + text.length * 3 > this.buffer.length) this.reserve(Buffer.byteLength(text));
    this.used += this.buffer.write(text, this.used);
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
  }
}
