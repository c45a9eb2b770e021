import fs from 'node:fs';

/**
 * Where each CSV record (after the header) starts: its 1-based line number and byte range.
 * Every reject is placed through this index: our checks' rejects by ordinal (DuckDB gives no
 * position for the rows it accepts), DuckDB's own by byte position, because its reject line
 * numbers count a record whose quoted field spans lines as one line. Blank lines are not records
 * (DuckDB skips them too); a quoted field may span lines. `ends[r]` is the byte of the record's
 * terminating LF (or the file size for a last record with none).
 */
export interface RecordIndex {
  lines: number[];
  starts: number[];
  ends: number[];
}

export function indexRecords(file: string): RecordIndex {
  const lines: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 22);
  let offset = 0;
  let line = 1;
  let recStart = 0;
  let recLine = 1;
  let quoted = false;
  let nonBlank = false;
  let header = true;
  const finish = (end: number) => {
    if (nonBlank) {
      if (header) header = false;
      else { lines.push(recLine); starts.push(recStart); ends.push(end); }
    }
  };
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 0x22) { quoted = !quoted; nonBlank = true; }
        else if (b === 0x0a) {
          line++;
          if (!quoted) {
            finish(offset + i);
            recStart = offset + i + 1;
            recLine = line;
            nonBlank = false;
          }
        } else if (b !== 0x0d) nonBlank = true;
      }
      offset += n;
    }
    finish(offset);
  } finally {
    fs.closeSync(fd);
  }
  return { lines, starts, ends };
}

/** The text of some records, by index (trailing CR removed; invalid UTF-8 shown as U+FFFD). */
export function recordTexts(file: string, index: RecordIndex, records: number[]): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    return records.map((r) => {
      const len = index.ends[r] - index.starts[r];
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, index.starts[r]);
      let text = buf.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (r === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return text;
    });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Index of the record at byte `pos` of the file (binary search), or -1 past the last record.
 * `pos` is a DuckDB reject's `line_byte_position`, which in DuckDB 1.5 is not exactly the
 * record's first byte: measured, it is the first byte or the one after it, or (after a CRLF or
 * blank lines) a byte of the line break before the record. All of these lie after the previous
 * record's final LF and at or before this record's, so the record is the first that ends at or
 * after `pos`.
 */
export function recordAtByte(index: RecordIndex, pos: number): number {
  let lo = 0;
  let hi = index.ends.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.ends[mid] >= pos) { found = mid; hi = mid - 1; } else lo = mid + 1;
  }
  return found;
}

/**
 * Maps ordinals of accepted rows (0-based, file order) to record indexes, given the sorted
 * record indexes DuckDB rejected: accepted row k is the k-th record not rejected.
 */
export function acceptedToRecords(acceptedOrds: number[], rejectedRecords: number[]): number[] {
  const out: number[] = [];
  let c = 0;
  for (const k of acceptedOrds) {
    while (c < rejectedRecords.length && rejectedRecords[c] <= k + c) c++;
    out.push(k + c);
  }
  return out;
}
