// Text written straight to UTF-8 bytes: a large output built from many strings is never held as
// one string (which V8 stores at two bytes a character once one character is outside Latin-1).

/**
 * UTF-8 appended into a buffer; when it is full a new one as large as everything so far takes
 * over, and the filled ones are joined once at the end (doubling and copying on every growth cost
 * a 20 MB audit.json ~20 ms of copies).
 */
export class Utf8Writer {
  private readonly filled: Buffer[] = [];
  private filledBytes = 0;
  protected buffer: Buffer;
  protected used = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  write(text: string): void {
    // Three bytes per UTF-16 unit at most: only a write that might not fit pays for counting its bytes.
    if (this.used + text.length * 3 > this.buffer.length) this.reserve(Buffer.byteLength(text));
    this.used += this.buffer.write(text, this.used);
  }

  done(): Buffer {
    const last = this.buffer.subarray(0, this.used);
    return this.filled.length === 0 ? last : Buffer.concat([...this.filled, last], this.filledBytes + this.used);
  }

  /** Makes room for `bytes` more, for a subclass that writes into `buffer` itself. */
  protected reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    this.filled.push(this.buffer.subarray(0, this.used));
    this.filledBytes += this.used;
    this.buffer = Buffer.allocUnsafe(Math.max(this.filledBytes + this.buffer.length, bytes));
    this.used = 0;
  }
}
