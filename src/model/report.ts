import { page, table } from '../report/html.js';
import { describeRule, suppressCount, type DisclosureSettings } from '../segment/disclosure.js';
import { escapeHtml } from '../text/safe.js';
import type { CutoffRow, Evaluation } from './evaluate.js';
import type { RiskModel } from './model-types.js';
import { publishEvaluationRow } from './published.js';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(3));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/**
 * The evaluation page: discrimination, calibration, cut-offs (model, baseline, published PARR), coefficients.
 * It is an ICB-level page (linked from the report's index), so counts of patients follow the disclosure
 * rule and the ratios of counts are worked out from the published counts (see ./published.ts).
 */
export function evaluationHtml(model: RiskModel, ev: Evaluation, d: DisclosureSettings): string {
  const pub = ev.published;
  const n = (count: number): string => suppressCount(count, d);
  const headline = table(['measure', 'local model', 'baseline (emergency admissions last year)', 'truth ceiling'], [
    ['c-statistic (95% CI)', `${f3(ev.c_statistic)} (${f3(ev.c_statistic_ci_low)}–${f3(ev.c_statistic_ci_high)})`,
      `${f3(ev.baseline_c_statistic)} (${f3(ev.baseline_c_statistic_ci_low)}–${f3(ev.baseline_c_statistic_ci_high)})`, f3(ev.truth_c_statistic)],
    ['Brier score', ev.brier.toFixed(4), ev.baseline_brier.toFixed(4), '–'],
    ['calibration slope', f3(ev.calibration_slope), '–', '–'],
    ['predicted / observed admissions', `${ev.predicted_total.toFixed(0)} / ${n(ev.observed_total)}`, '–', '–'],
  ]);
  const published = table(['published model', 'c-statistic'], Object.entries(pub.c_statistic).map(([k, v]) => [k, v.toFixed(2)]));
  const deciles = table(['risk decile', 'patients', 'mean predicted', 'observed rate', 'predicted', 'observed'],
    ev.calibration_by_decile.map((g) => {
      const shown = publishEvaluationRow({ patients: g.patients, observed: g.observed }, ev.observed_total, d);
      return [g.decile, shown.counts.patients, pct(g.mean_predicted), pct(shown.observed_rate), g.predicted.toFixed(1), shown.counts.observed];
    }));
  const label = (c: CutoffRow): string => (c.kind === 'top_pct' ? `top ${c.value}%` : `score ≥ ${c.value}`);
  const parr = (c: CutoffRow): string => {
    const p = pub.parr_at_score.find((x) => c.kind === 'score_at_least' && x.score_at_least === c.value);
    return p ? `${pct(p.ppv)} / ${pct(p.sensitivity)}` : '–';
  };
  const shown = (c: CutoffRow) => publishEvaluationRow({ flagged: c.flagged, true_positives: c.true_positives }, ev.observed_total, d);
  const cutoffs = table(['cut-off', 'model flagged', 'model PPV', 'model sensitivity', 'baseline flagged', 'baseline PPV', 'baseline sensitivity', 'PARR published PPV / sensitivity'],
    ev.cutoffs.model.map((m) => {
      const b = ev.cutoffs.baseline.find((x) => x.kind === m.kind && x.value === m.value);
      const ms = shown(m), bs = b ? shown(b) : null;
      return [label(m), ms.counts.flagged, pct(ms.ppv), pct(ms.sensitivity),
        bs?.counts.flagged ?? '–', pct(bs?.ppv), pct(bs?.sensitivity), parr(m)];
    }));
  const coefs = table(['term', 'description', 'coefficient', 'standard error', 'odds ratio'], [
    ['intercept', '', model.intercept.coefficient.toFixed(4), model.intercept.standard_error.toFixed(4), '–'],
    ...model.features.map((f) => [f.name, f.description, f.coefficient.toFixed(4), f.standard_error.toFixed(4), f.odds_ratio.toFixed(3)]),
  ]);
  const body = `
<p class="note">Outcome: ${escapeHtml(model.outcome)}. Trained on features at ${escapeHtml(model.training_window.features_as_of)},
outcome from ${escapeHtml(model.training_window.outcome_from)} to before ${escapeHtml(model.training_window.outcome_until_exclusive)};
${n(model.training_patients)} training patients (${n(model.training_events)} with the outcome); evaluated on ${n(ev.holdout_patients)} held-out patients
(${escapeHtml(model.split.rule)}, holdout_pct ${model.split.holdout_pct}).</p>
<p class="note">Counts of patients on this page are published per the disclosure rule (${escapeHtml(describeRule(d))});
observed rates, PPV and sensitivity are worked out from the published counts (blank where a count is *); model/evaluation.json has the exact figures.</p>
<h2>Discrimination and calibration (held-out patients)</h2>
${headline}
<p class="note">${escapeHtml(ev.c_statistic_ci_method)}. Baseline: ${escapeHtml(ev.baseline)}.
Truth ceiling: c-statistic of the true probability 1 − exp(−expected emergency admissions) from the synthetic truth, when present.</p>
<h2>Published figures</h2>
${published}
<p class="note">Source: ${escapeHtml(pub.source)}. Published models were fitted and evaluated on other populations; set beside, not compared.</p>
<h2>Calibration by risk decile</h2>
${deciles}
<h2>PPV and sensitivity at cut-offs</h2>
${cutoffs}
<h2>Coefficients</h2>
<p class="note">${escapeHtml(model.fit.method)}; ${model.fit.iterations} iterations; ${escapeHtml(model.fit.note)}.
Dropped as constant in training: ${escapeHtml(model.dropped_constant.join(', ') || 'none')}.</p>
${coefs}`;
  return page('Emergency admission risk model: evaluation', body);
}
