import type { FloodHold } from '../model/flood.ts';
import type { IssueAction } from '../model/interaction.ts';
import type { Issue } from '../model/issue.ts';
import { html, type SafeHtml } from './html.ts';

const STYLE = html`<style>
body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f5f7fa;color:#1f2933}
header{background:#1f2933;color:#fff;padding:14px 24px;font-weight:bold}
main{max-width:820px;margin:24px auto;padding:0 16px}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:16px;margin-bottom:12px}
.muted{color:#7b8794;font-size:13px}.error{border-left:4px solid #c62828}
button{background:#1a56db;color:#fff;border:0;border-radius:4px;padding:8px 14px;font-size:14px;cursor:pointer;margin:4px 6px 4px 0}
button.secondary{background:#52606d}textarea{width:100%;min-height:60px}label{margin-right:14px}
form.inline{display:inline}
</style>`;

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title} · Comet</title>${STYLE}</head><body><header>Comet</header><main>${body}</main></body></html>`.value;
}

export const ACTION_TITLES: Record<IssueAction, string> = {
  snooze: 'Snooze',
  falsepositive: 'Mark as a false positive',
  acceptrisk: 'Accept the risk',
  acknowledge: 'Acknowledge',
  resolve: 'Mark as resolved',
  escalate: 'Escalate to the security team',
  reopen: 'Reopen',
};

function issueCard(issue: Issue): SafeHtml {
  const m = issue.metadata;
  return html`<div class="card"><div class="muted">${m.sourceReadable ?? issue.source}${m.severity ? ` · ${m.severity}` : ''}</div>
<h2>${m.issueTypeReadable ?? m.issueType ?? issue.fingerprint}</h2><div>${m.resourceReadable ?? m.resource ?? ''}</div>
<div class="muted">Last seen ${issue.lastSeen.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${issue.fingerprint}</div></div>`;
}

function actionFields(action: IssueAction): SafeHtml {
  switch (action) {
    case 'snooze':
      return html`<p>For how long?</p><p><label><input type="radio" name="days" value="1"> 1 day</label><label><input type="radio" name="days" value="7" checked> 7 days</label><label><input type="radio" name="days" value="30"> 30 days</label><label>or until <input type="date" name="until"></label></p>`;
    case 'acceptrisk':
      return html`<p><label>Why is the risk acceptable? (optional)<textarea name="reason" maxlength="1000"></textarea></label></p><p><label>Review again in <input type="number" name="days" value="180" min="1" max="730"> days</label></p>`;
    default:
      return html`<p><label>Reason (optional)<textarea name="reason" maxlength="1000"></textarea></label></p>`;
  }
}

/** What a mail link opens: nothing changes until the button is pressed. */
export function confirmPage(action: IssueAction, issue: Issue, token: string): string {
  return page(
    ACTION_TITLES[action],
    html`<h1>${ACTION_TITLES[action]}?</h1>${issueCard(issue)}
<form method="post" action="/v0/${action}" class="card"><input type="hidden" name="token" value="${token}">${actionFields(action)}
<button type="submit">${ACTION_TITLES[action]}</button></form>
<p class="muted">Opening this page changed nothing; only the button does.</p>`,
  );
}

export function donePage(action: IssueAction, issue: Issue, until: Date | null): string {
  const when = until ? ` until ${until.toISOString().slice(0, 10)}` : '';
  return page('Done', html`<h1>Done: ${ACTION_TITLES[action].toLowerCase()}${when}.</h1>${issueCard(issue)}<p>Recorded in the issue's history.</p>`);
}

export function errorPage(title: string, message: string): string {
  return page(title, html`<div class="card error"><h1>${title}</h1><p>${message}</p></div>`);
}

const QUICK_ACTIONS: { action: IssueAction; label: string; days?: number }[] = [
  { action: 'snooze', label: 'Snooze 7 days', days: 7 },
  { action: 'falsepositive', label: 'False positive' },
  { action: 'acceptrisk', label: 'Accept risk (180 days)', days: 180 },
];

/** The owner's page: every open issue with one-click actions, and the closed ones to reopen. */
export function ownerPage(owner: string, open: readonly Issue[], closed: readonly Issue[]): string {
  const row = (issue: Issue, actions: SafeHtml) => html`${issueCard(issue)}<div style="margin:-8px 0 16px">${actions}</div>`;
  const form = (issue: Issue, action: IssueAction, label: string, days?: number) =>
    html`<form method="post" action="/v0/${action}" class="inline"><input type="hidden" name="fingerprint" value="${issue.fingerprint}">${days ? html`<input type="hidden" name="days" value="${days}">` : ''}<button type="submit" class="${action === 'reopen' ? 'secondary' : ''}">${label}</button></form>`;
  return page(
    'Your open issues',
    html`<h1>Your open issues (${open.length})</h1><p class="muted">${owner}</p>
${open.length === 0 ? html`<p>Nothing open. Well done.</p>` : open.map((issue) => row(issue, html`${QUICK_ACTIONS.map((q) => form(issue, q.action, q.label, q.days))}`))}
${closed.length > 0 ? html`<h2>Snoozed and closed</h2>${closed.map((issue) => row(issue, html`<span class="muted">${issue.ignore?.state ?? ''}${issue.ignore?.until ? ` until ${issue.ignore.until.toISOString().slice(0, 10)}` : ''}</span> ${form(issue, 'reopen', 'Reopen')}`))}` : ''}`,
  );
}

/** The security team's list of held floods, each with its release and discard buttons. */
export function floodsPage(member: string, holds: readonly { source: string; hold: FloodHold }[]): string {
  const button = (source: string, discard: boolean, label: string) =>
    html`<form method="post" action="/v0/floods/${encodeURIComponent(source)}/release" class="inline"><input type="hidden" name="discard" value="${String(discard)}"><button type="submit" class="${discard ? 'secondary' : ''}">${label}</button></form>`;
  const card = ({ source, hold }: { source: string; hold: FloodHold }) => html`<div class="card${hold.state === 'held' ? ' error' : ''}">
<div class="muted">${source} · detected ${hold.detectedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</div>
<h2>${hold.sourceReadable}: ${hold.newIssues} new issues for ${hold.owners} owners</h2>
<p>Limit ${hold.threshold}; usually ${hold.usual === null ? 'no batch yet' : `about ${Math.round(hold.usual)} per batch`}.</p>
<p class="muted">Most new issues: ${hold.topOwners.map((o) => `${o.name} (${o.count})`).join(', ')}. Issue types: ${hold.topIssueTypes.map((t) => `${t.name} (${t.count})`).join(', ')}.</p>
${hold.state === 'held' ? html`${button(source, false, 'Release: mail the owners')}${button(source, true, 'Discard: settle without mail')}` : html`<p>${hold.discard ? 'Discarded' : 'Released'} by ${hold.releasedBy ?? ''}; the next dispatch run ${hold.discard ? 'settles it' : 'mails it'}.</p>`}</div>`;
  return page(
    'Held floods',
    html`<h1>Held floods (${holds.filter((h) => h.hold.state === 'held').length})</h1><p class="muted">${member}</p>
${holds.length === 0 ? html`<p>Nothing held.</p>` : holds.map(card)}`,
  );
}
