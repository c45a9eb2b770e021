/**
 * Progress for long stages on a TTY: a line every few seconds while a stage runs, so a person
 * watching knows it is alive. Stages report nothing in between, so this is elapsed time only.
 */
export function startHeartbeat(
  label: string,
  enabled: boolean,
  everyMs = 5000,
  write: (s: string) => void = (s) => process.stderr.write(s),
): () => void {
  if (!enabled) return () => {};
  const started = Date.now();
  const timer = setInterval(() => {
    write(`  … ${label} still running (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A progress callback (done, total) that rewrites one line on a TTY and logs quarters otherwise. */
export function progressLine(label: string, tty: boolean, write: (s: string) => void = (s) => process.stderr.write(s)) {
  let lastPct = -1;
  return (done: number, total: number) => {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (tty) {
      if (pct === lastPct) return;
      lastPct = pct;
      write(`\r${label}: ${pct}% (${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')})${done >= total ? '\n' : ''}`);
    } else if (Math.floor(pct / 25) !== Math.floor(lastPct / 25) || (done >= total && lastPct !== 100)) {
      lastPct = pct;
      write(`${label}: ${pct}%\n`);
    }
  };
}
