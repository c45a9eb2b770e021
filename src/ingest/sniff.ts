import fs from 'node:fs';
import crypto from 'node:crypto';
import { CliError, ExitCode } from '../errors.js';

/** What ingest needs to know about a file before reading it: format, delimiter and header. */
export interface FileShape {
  format: 'csv' | 'parquet';
  delimiter: ',' | '\t' | '|';
  /** Header names as written (CSV), or the Parquet schema's names (filled in by the reader). */
  header: string[];
}

const candidates = [',', '\t', '|'] as const;
const headerLimit = 1 << 20;

export function isParquet(file: string): boolean {
  return /\.(parquet|pq)$/i.test(file);
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Reads the header line of a CSV (optional UTF-8 BOM, CRLF or LF) and picks the delimiter that
 * occurs most often in it outside quotes (comma, tab or pipe; comma when none occurs).
 */
export function sniffCsv(file: string, display: string): FileShape {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CliError(`cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, ExitCode.usage);
  }
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(headerLimit);
    const n = fs.readSync(fd, buf, 0, headerLimit, 0);
    bytes = buf.subarray(0, n);
  } catch (e) {
    throw new CliError(`cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, ExitCode.usage);
  } finally {
    fs.closeSync(fd);
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const end = bytes.indexOf(0x0a);
  let line = end < 0 ? bytes : bytes.subarray(0, end);
  if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
  if (line.length === 0) throw new CliError(`${display}: file is empty (no header line)`, ExitCode.usage);
  if (end < 0 && bytes.length === headerLimit) throw new CliError(`${display}: no line end in the first 1 MB; not a CSV file`, ExitCode.usage);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    throw new CliError(`${display}: header line is not valid UTF-8`, ExitCode.usage);
  }
  const counts = candidates.map((d) => splitCsvLine(text, d).length - 1);
  const best = counts.indexOf(Math.max(...counts));
  const delimiter = counts[best] > 0 ? candidates[best] : ',';
  return { format: 'csv', delimiter, header: splitCsvLine(text, delimiter).map((h) => h.trim()) };
}

/** Splits one CSV line (RFC 4180 quotes, doubled quote = literal quote). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { fields.push(field); field = ''; }
    else field += ch;
  }
  fields.push(field);
  return fields;
}
