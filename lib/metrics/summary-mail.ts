import type { RenderedMail } from '../mail/render.ts';
import type { MailTemplate } from '../mail/templates.ts';
import { formatRate, formatSeconds } from './format.ts';
import type { Stats } from './stats.ts';

/** Rules listed in the mail; the dashboard lists them all. */
const NOISIEST_LISTED = 10;

/** The security team's weekly mail: the last 7 days' figures, coverage gaps and the noisiest rules. */
export function renderWeeklySummary(template: MailTemplate, stats: Stats, to: string, dashboardUrl: string): RenderedMail {
  const week = stats.windows.week;
  const t = week.totals;
  const subject = `Comet weekly summary: ${t.received} alerts, ${t.opened} issues opened, ${t.closed} closed`;
  const latency = (l: { medianSeconds: number | null; p90Seconds: number | null }) => ({ median: formatSeconds(l.medianSeconds), p90: formatSeconds(l.p90Seconds) });
  const firstActions = new Map(week.timeToFirstAction.bySource.map((l) => [l.key, l]));
  const view = {
    subject,
    summary: `${t.received} alerts received, ${t.opened} issues opened, ${t.closed} closed; ${stats.coverage.gaps.length} of ${stats.coverage.ous.length} OUs had no alert from at least one source.`,
    firstDay: week.from,
    lastDay: week.to,
    recipient: to,
    dashboardUrl,
    figures: [
      { title: 'Alerts received', value: t.received },
      { title: 'Issues opened', value: t.opened },
      { title: 'Issues closed', value: t.closed },
      { title: 'Snoozed', value: t.snoozed },
      { title: 'False positive', value: t.falsePositive },
      { title: 'Accepted risk', value: t.acceptedRisk },
      { title: 'Escalated', value: t.escalated },
    ],
    firstAction: { issues: week.timeToFirstAction.all.issues, ...latency(week.timeToFirstAction.all) },
    sources: week.bySource.map((g) => ({ name: g.key, received: g.received, opened: g.opened, closed: g.closed, ...latency(firstActions.get(g.key) ?? { medianSeconds: null, p90Seconds: null }) })),
    gaps: stats.coverage.gaps.map((g) => ({ ou: g.ou, none: g.noAlertsAtAll, silent: g.silentSources.join(', ') })),
    noisiest: stats.noisiest.slice(0, NOISIEST_LISTED).map((r) => ({ ...r, rate: formatRate(r.rate) })),
  };
  return { to, subject, html: template.html(view), text: template.text(view), category: 'weekly-summary' };
}
