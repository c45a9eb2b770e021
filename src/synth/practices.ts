/** The practices, networks and programme waves of the synthetic ICB. */
import { addMonths, iso } from './dates.js';
import { Rng, cumulative } from './random.js';

export interface Practice {
  index: number;
  code: string;
  name: string;
  networkCode: string;
  networkName: string;
  wave: number | null;
  /** Day number of the wave start; Infinity when the practice never joined. */
  waveStart: number;
  /** Relative list size. */
  weight: number;
  lsoas: { code: string; decile: number }[];
  lsoaCum: Float64Array;
}

export interface Wave { wave: number; start: string; practices: string[] }

const PLACES = [
  'Abbeyfield', 'Brookside', 'Castle Cary', 'Deanery', 'Eastover', 'Fairmead', 'Greenhill', 'Hollybank',
  'Ivel', 'Juniper', 'Kingsmoor', 'Langport Road', 'Millbrook', 'Northgate', 'Oakwood', 'Parrett Vale',
  'Queensway', 'Riverside', 'Stonegate', 'Tor View', 'Upperton', 'Vicarage Lane', 'Westfield', 'Yarrow',
];
const KINDS = ['Surgery', 'Medical Centre', 'Health Centre', 'Medical Practice', 'Family Practice'];
const NETWORKS = ['Levels and Moors', 'Blackdown Hills', 'Ridgeway', 'Yeo Valley', 'Quantock', 'Mendip Edge', 'Hamstone', 'Parrett'];

/** Start days of the three waves: ≥36 months of history before the first when history allows. */
export function waveStarts(startDay: number, endDay: number, years: number): number[] {
  if (years >= 5) {
    const firstOfEndMonth = addMonths(endDay + 1, 0);
    return [-24, -18, -12].map((m) => addMonths(firstOfEndMonth, m));
  }
  const months = years * 12;
  return [0.5, 0.65, 0.8].map((f) => addMonths(startDay, Math.max(1, Math.round(months * f))));
}

/** Splits n practices into waves of 4:8:4 with the rest (3 of 19) never joining. */
export function waveSizes(n: number): [number, number, number] {
  const never = n >= 2 ? Math.max(1, Math.round((n * 3) / 19)) : 0;
  const joiners = n - never;
  const w1 = Math.round(joiners / 4);
  const w3 = Math.round(joiners / 4);
  return [w1, joiners - w1 - w3, w3];
}

export function buildPractices(n: number, networks: number, seed: number, startDay: number, endDay: number, years: number): { practices: Practice[]; waves: Wave[] } {
  const rng = new Rng(seed, 0x7fffffff);
  const starts = waveStarts(startDay, endDay, years);
  const sizes = waveSizes(n);
  // Shuffle practice indices, then deal them into waves in that order.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const waveOf = new Array<number | null>(n).fill(null);
  let k = 0;
  sizes.forEach((size, w) => { for (let s = 0; s < size; s++) waveOf[order[k++]] = w + 1; });

  const perNetwork = Math.ceil(n / networks);
  let lsoaSeq = 0;
  const practices: Practice[] = [];
  for (let i = 0; i < n; i++) {
    const net = Math.min(networks - 1, Math.floor(i / perNetwork));
    const weight = 0.3 + 1.7 * rng.next();
    const meanDecile = 2.5 + 6 * rng.next();
    const nLsoa = Math.max(3, Math.round(weight * 4));
    const lsoas = Array.from({ length: nLsoa }, () => {
      const decile = Math.min(10, Math.max(1, Math.round(meanDecile + 1.8 * rng.normal())));
      const code = 'E01' + String(29000 + 7 * lsoaSeq++).padStart(6, '0');
      return { code, decile };
    });
    const wave = waveOf[i];
    const place = PLACES[i % PLACES.length] + (i >= PLACES.length ? ` ${Math.floor(i / PLACES.length) + 1}` : '');
    practices.push({
      index: i,
      code: practiceCode(i),
      name: `${place} ${KINDS[(i * 7) % KINDS.length]}`,
      networkCode: 'N' + String(net + 1).padStart(2, '0'),
      networkName: `${NETWORKS[net % NETWORKS.length]}${net >= NETWORKS.length ? ` ${Math.floor(net / NETWORKS.length) + 1}` : ''} Primary Care Network`,
      wave,
      waveStart: wave === null ? Infinity : starts[wave - 1],
      weight,
      lsoas,
      lsoaCum: cumulative(lsoas.map(() => 1)),
    });
  }
  const waves: Wave[] = [1, 2, 3]
    .map((w) => ({ wave: w, start: iso(starts[w - 1]), practices: practices.filter((p) => p.wave === w).map((p) => p.code) }))
    .filter((w) => w.practices.length > 0);
  return { practices, waves };
}

/** 'L85001', 'L85002', …: ODS-like and safe as a file name. */
export function practiceCode(i: number): string {
  return 'L85' + String(i + 1).padStart(3, '0');
}

export function practicesCsvRows(practices: Practice[]): string[] {
  return practices.map((p) =>
    [p.code, p.name, p.networkCode, p.networkName, p.wave ?? '', p.wave === null ? '' : iso(p.waveStart)].join(','));
}

