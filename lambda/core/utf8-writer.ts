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
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(text, this.used);
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}
