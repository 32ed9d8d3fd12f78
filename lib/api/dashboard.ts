import type { CoverageReport } from '../metrics/coverage.ts';
import { formatRate, formatSeconds } from '../metrics/format.ts';
import type { Figures, Group, Latency, NoisyRule, Stats, WindowName, WindowStats } from '../metrics/stats.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './pages.ts';

const STYLE = html`<style>
main{max-width:1100px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7eb;overflow-wrap:break-word}.card{overflow-x:auto}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.gap{background:#fde8e8;color:#9b1c1c}.covered{background:#e3f9e5}
.bar{display:inline-block;height:10px;background:#1a56db;border-radius:2px;vertical-align:middle}.bar.warn{background:#c62828}td.chart{width:30%;min-width:40px;white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
</style>`;

const WINDOW_TITLES: Record<WindowName, string> = { day: 'Today', week: 'Last 7 days', '30d': 'Last 30 days' };
const FIGURE_TITLES: [keyof Figures, string][] = [
  ['received', 'Alerts received'],
  ['opened', 'Issues opened'],
  ['closed', 'Issues closed'],
  ['snoozed', 'Snoozed'],
  ['falsePositive', 'False positive'],
  ['acceptedRisk', 'Accepted risk'],
  ['escalated', 'Escalated'],
];
const COLOURS = { received: '#1a56db', opened: '#f59e0b', closed: '#0e9f6e' } as const;
/** Longer lists are cut on the page; the JSON has them all. */
const ROWS_SHOWN = 25;

/**
 * The security team's dashboard: the same figures as `/v0/stats`, with
 * charts drawn as inline SVG and CSS (the page's CSP allows no script).
 * Every name in it comes from alerts, so every one is escaped.
 */
export function dashboardPage(viewer: string, stats: Stats): string {
  const month = stats.windows['30d'];
  return page(
    'Security metrics',
    html`${STYLE}<h1>Where alerts land</h1><p class="muted">${viewer} · figures as of ${stats.generatedAt.slice(0, 16).replace('T', ' ')} UTC · the same as <code>GET /v0/stats</code></p>
<div class="card"><h2>Counts</h2>${windowTable(stats)}</div>
<div class="card"><h2>Every day, last 30 days</h2>${dailyChart(stats.daily)}</div>
<div class="grid">
<div class="card"><h2>By source, last 30 days</h2>${groupBars(month.bySource)}</div>
<div class="card"><h2>By OU, last 30 days</h2>${groupBars(month.byOu)}</div>
<div class="card"><h2>By severity, last 30 days</h2>${groupBars(month.bySeverity)}</div>
</div>
<div class="card"><h2>By issue type, last 30 days</h2>${groupBars(month.byIssueType.slice(0, ROWS_SHOWN))}</div>
<div class="card"><h2>By source, OU, issue type and severity, last 30 days</h2>${rowTable(month.rows.slice(0, ROWS_SHOWN))}${month.rows.length > ROWS_SHOWN ? html`<p class="muted">${month.rows.length - ROWS_SHOWN} more in <code>GET /v0/stats</code>.</p>` : ''}</div>
<div class="card"><h2>Time to first action, last 30 days</h2><p class="muted">From an issue's first sighting to the first thing its owner did about it: median and 90th percentile.</p>
${latencyTable(month.timeToFirstAction)}</div>
<div class="card"><h2>Coverage gaps, last ${stats.coverage.days} days</h2>${coverageTable(stats.coverage)}</div>
<div class="card"><h2>Noisiest rules, last 30 days</h2><p class="muted">Issue types by (false positives + accepted risks) / issues opened: tune these scanners, not their owners.</p>${noisyTable(stats.noisiest)}</div>`,
  );
}

function windowTable(stats: Stats): SafeHtml {
  const names = Object.keys(WINDOW_TITLES) as WindowName[];
  return html`<table><tr><th></th>${names.map((w) => html`<th class="n">${WINDOW_TITLES[w]}</th>`)}</tr>
${FIGURE_TITLES.map(([key, title]) => html`<tr><td>${title}</td>${names.map((w) => html`<td class="n">${stats.windows[w].totals[key]}</td>`)}</tr>`)}
<tr><td>Time to first action (median / p90)</td>${names.map((w) => {
    const all = stats.windows[w].timeToFirstAction.all;
    return html`<td class="n">${formatSeconds(all.medianSeconds)} / ${formatSeconds(all.p90Seconds)}</td>`;
  })}</tr></table>`;
}

/** Three bars a day: received, opened, closed. */
function dailyChart(daily: Stats['daily']): SafeHtml {
  const width = 1040;
  const height = 160;
  const max = Math.max(1, ...daily.flatMap((d) => [d.received, d.opened, d.closed]));
  const slot = width / Math.max(1, daily.length);
  const bar = Math.max(1, (slot - 4) / 3);
  const series = Object.keys(COLOURS) as (keyof typeof COLOURS)[];
  const bars = daily.flatMap((d, i) =>
    series.map((name, j) => {
      const h = Math.round((d[name] / max) * (height - 20));
      return html`<rect x="${(i * slot + j * bar).toFixed(1)}" y="${height - 14 - h}" width="${bar.toFixed(1)}" height="${h}" fill="${COLOURS[name]}"><title>${d.day}: ${d[name]} ${name}</title></rect>`;
    }),
  );
  const labels = daily.filter((_, i) => i % 5 === 0 || i === daily.length - 1).map((d) => html`<text x="${(daily.indexOf(d) * slot).toFixed(1)}" y="${height}" font-size="10" fill="#7b8794">${d.day.slice(5)}</text>`);
  return html`<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="alerts received, issues opened and closed per day">${bars}${labels}<text x="0" y="10" font-size="10" fill="#7b8794">max ${max}</text></svg>
<div class="legend muted">${series.map((name) => html`<span style="background:${COLOURS[name]}"></span>${name}`)}</div>`;
}

function groupBars(groups: readonly Group[]): SafeHtml {
  if (groups.length === 0) return html`<p class="muted">No alerts.</p>`;
  const max = Math.max(1, ...groups.map((g) => g.received));
  return html`<table><tr><th></th><th class="n">received</th><th class="n">opened</th><th class="n">closed</th><th></th></tr>${groups.map(
    (g) => html`<tr><td>${g.key}</td><td class="n">${g.received}</td><td class="n">${g.opened}</td><td class="n">${g.closed}</td><td class="chart">${bar(g.received / max)}</td></tr>`,
  )}</table>`;
}

/** One table: the overall figure and each source, then each OU; bars show the median, then up to the p90 in red. */
function rowTable(rows: WindowStats['rows']): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No alerts.</p>`;
  const columns = FIGURE_TITLES.map(([key]) => key);
  return html`<table><tr><th>source</th><th>OU</th><th>issue type</th><th>severity</th>${FIGURE_TITLES.map(([, title]) => html`<th class="n">${title.toLowerCase()}</th>`)}</tr>${rows.map(
    (r) => html`<tr><td>${r.source}</td><td>${r.ou}</td><td>${r.issueType}</td><td>${r.severity}</td>${columns.map((key) => html`<td class="n">${r[key]}</td>`)}</tr>`,
  )}</table>`;
}

function latencyTable(timeToFirstAction: WindowStats['timeToFirstAction']): SafeHtml {
  const { all, bySource, byOu } = timeToFirstAction;
  if (all.issues === 0) return html`<p class="muted">Nobody has acted on an issue yet.</p>`;
  const max = Math.max(1, all.p90Seconds ?? 0, ...[...bySource, ...byOu].map((l) => l.p90Seconds ?? 0));
  const row = (l: Latency) =>
    html`<tr><td>${l.key}</td><td class="n">${l.issues}</td><td class="n">${formatSeconds(l.medianSeconds)}</td><td class="n">${formatSeconds(l.p90Seconds)}</td><td class="chart">${bar((l.medianSeconds ?? 0) / max)}${bar(((l.p90Seconds ?? 0) - (l.medianSeconds ?? 0)) / max, 'warn')}</td></tr>`;
  return html`<table><tr><th>source</th><th class="n">issues</th><th class="n">median</th><th class="n">p90</th><th></th></tr>${[all, ...bySource].map(row)}
<tr><th>OU</th><th></th><th></th><th></th><th></th></tr>${byOu.map(row)}</table>`;
}

/** A horizontal bar, `share` (0 to 1) of its cell. */
function bar(share: number, kind = ''): SafeHtml {
  return html`<span class="bar ${kind}" style="width:${Math.round(Math.min(1, Math.max(0, share)) * 100)}%"></span>`;
}

function coverageTable(coverage: CoverageReport): SafeHtml {
  const rows = [...coverage.ous, ...coverage.unlisted];
  if (rows.length === 0) return html`<p class="muted">No OUs are configured: add <code>ous</code> to the owner directory.</p>`;
  const unlisted = new Set(coverage.unlisted.map((r) => r.ou));
  return html`<p class="muted">Alerts per OU and source. A red cell had none: that OU is very clean for that scanner, or not scanned by it. ${coverage.gaps.length} of ${coverage.ous.length} OUs have a gap.</p>
<table><tr><th>OU</th>${coverage.sources.map((s) => html`<th class="n">${s}</th>`)}</tr>${rows.map(
    (r) =>
      html`<tr><td>${r.ou}${unlisted.has(r.ou) ? html` <span class="muted">(not in the OU list)</span>` : ''}</td>${coverage.sources.map((s) => html`<td class="n ${r.alerts[s] ? 'covered' : 'gap'}">${r.alerts[s] ?? 0}</td>`)}</tr>`,
  )}</table>`;
}

function noisyTable(rules: readonly NoisyRule[]): SafeHtml {
  if (rules.length === 0) return html`<p class="muted">No false positives or accepted risks.</p>`;
  return html`<table><tr><th>source</th><th>issue type</th><th class="n">issues</th><th class="n">false positive</th><th class="n">accepted risk</th><th class="n">rate</th><th></th></tr>${rules.map(
    (r) =>
      html`<tr><td>${r.source}</td><td>${r.issueType}</td><td class="n">${r.issues}</td><td class="n">${r.falsePositive}</td><td class="n">${r.acceptedRisk}</td><td class="n">${formatRate(r.rate)}</td><td class="chart">${bar(r.rate ?? 1, 'warn')}</td></tr>`,
  )}</table>`;
}
