/** Guards for input values that end up in file names, spreadsheets or HTML. */

const codePattern = /^[A-Z][A-Z0-9]{2,9}$/;
const reservedDeviceNames = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$/;

/** True when a practice / network code is safe to use as a file name on every platform. */
export function isSafeCode(code: string): boolean {
  return codePattern.test(code) && !reservedDeviceNames.test(code);
}

/** Returns the code if it is safe as a file name; throws otherwise (ingest rejects such codes first). */
export function safeFileStem(code: string): string {
  if (!isSafeCode(code)) throw new Error(`unsafe code for a file name: ${JSON.stringify(code)}`);
  return code;
}

/** Prefixes text that a spreadsheet would read as a formula (=, +, -, @, tab, CR) with a quote. */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field: spreadsheet-safe, quoted when needed (RFC 4180). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = spreadsheetSafe(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document (LF line ends, header first). */
export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return lines.join('\n') + '\n';
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => htmlEscapes[ch]);
}
