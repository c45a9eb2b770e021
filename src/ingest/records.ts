import fs from 'node:fs';

/**
 * Where each CSV record (after the header) starts: its 1-based line number and byte range.
 * DuckDB's read_csv reports line numbers only for the rows it rejects, so this index maps the
 * rows that our SQL checks reject back to their line and original text. Blank lines are not
 * records (DuckDB skips them too); a quoted field may span lines.
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

/** Index of the record starting on `line` (binary search), or -1. */
export function recordAtLine(index: RecordIndex, line: number): number {
  let lo = 0;
  let hi = index.lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.lines[mid] === line) return mid;
    if (index.lines[mid] < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
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
