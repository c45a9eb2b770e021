/** Streams CSV lines to a file in ~1 MB writes, counting data rows. */
import fs from 'node:fs';

const CHUNK = 1 << 20;

export class CsvWriter {
  private fd: number;
  private buf = '';
  rows = 0;

  constructor(readonly file: string, header: readonly string[]) {
    this.fd = fs.openSync(file, 'w');
    this.buf = header.join(',') + '\n';
  }

  /** Appends one data row (fields already CSV-safe: no commas, quotes or newlines). */
  line(text: string): void {
    this.buf += text + '\n';
    this.rows++;
    if (this.buf.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buf.length) {
      fs.writeSync(this.fd, this.buf);
      this.buf = '';
    }
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
