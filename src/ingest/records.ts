import fs from 'node:fs';

/** Where a CSV record is: its 1-based first line, its bytes [start, end), and its index among records. */
export interface RecordSpan {
  record: number;
  line: number;
  start: number;
  end: number;
}

export interface LocatedRejects {
  /** Records in the file (after the header). */
  records: number;
  /** Per DuckDB reject (same order as given): its record, or null (no position, or past the last record). */
  duck: (RecordSpan | null)[];
  /** Per reject of our checks (same order as given): its record, or null (past the last record). */
  ours: (RecordSpan | null)[];
}

const ascending = (values: number[]): number[] => values.map((_, i) => i).sort((a, b) => values[a] - values[b]);

/**
 * Places rejected rows on their CSV records in one pass over the file, holding only the rejects (so a
 * file of any size with any number of records costs memory in proportion to its rejects).
 * - DuckDB's rejects by byte position: DuckDB's reject line numbers count a record whose quoted field spans
 *   lines as one line, so they cannot be used. `duckPositions` are `line_byte_position`s, which in DuckDB
 *   1.5 are not exactly a record's first byte: measured, the first byte or the one after it, or (after a
 *   CRLF or blank lines) a byte of the line break before the record. All lie after the previous record's
 *   final LF and at or before this record's, so a position belongs to the first record ending at or after it.
 * - Our checks' rejects by ordinal among the records DuckDB accepted (0-based, file order): DuckDB gives no
 *   position for the rows it accepts.
 * Blank lines are not records (DuckDB skips them too); a quoted field may span lines.
 */
export function locateRejects(file: string, duckPositions: (number | null)[], acceptedOrdinals: number[]): LocatedRejects {
  const duck: (RecordSpan | null)[] = duckPositions.map(() => null);
  const ours: (RecordSpan | null)[] = acceptedOrdinals.map(() => null);
  const duckOrder = ascending(duckPositions.map((p) => p ?? -1)).filter((i) => duckPositions[i] !== null);
  const ourOrder = ascending(acceptedOrdinals);
  let d = 0;
  let o = 0;
  let records = 0;
  let accepted = 0;
  let line = 1;
  let recStart = 0;
  let recLine = 1;
  let quoted = false;
  let nonBlank = false;
  let header = true;
  const finish = (end: number) => {
    if (!nonBlank) return;
    if (header) { header = false; return; }
    const span: RecordSpan = { record: records++, line: recLine, start: recStart, end };
    let rejectedByDuck = false;
    while (d < duckOrder.length && duckPositions[duckOrder[d]]! <= end) { duck[duckOrder[d++]] = span; rejectedByDuck = true; }
    if (rejectedByDuck) return;
    while (o < ourOrder.length && acceptedOrdinals[ourOrder[o]] === accepted) ours[ourOrder[o++]] = span;
    accepted++;
  };
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 22);
  let offset = 0;
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
  return { records, duck, ours };
}

/** The text of some records (trailing CR removed; a BOM dropped; invalid UTF-8 shown as U+FFFD). */
export function recordTexts(file: string, spans: RecordSpan[]): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    return spans.map((s) => {
      const buf = Buffer.alloc(s.end - s.start);
      fs.readSync(fd, buf, 0, buf.length, s.start);
      let text = buf.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (s.record === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return text;
    });
  } finally {
    fs.closeSync(fd);
  }
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
