import type { Digest, EscalatedIssue, Escalation, IssueSummary, SendReason } from '../model/delivery.ts';
import type { FloodAlert } from '../model/flood.ts';
import { SEVERITIES } from '../model/metadata.ts';
import type { MailTemplates } from './templates.ts';

/** A mail ready for any mail service. */
export interface RenderedMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Which kind of mail, for the mail service's statistics. */
  category: 'digest' | 'escalation' | 'flood' | 'weekly-summary';
}

const REASON_LABEL: Record<SendReason | EscalatedIssue['reason'], string> = {
  new: 'New',
  regression: 'Back again',
  'reminder-due': 'Reminder',
  open: 'Still open',
  'escalation-due': 'Unaddressed',
  'owner-escalated': 'Escalated by its owner',
};

export function renderDigest(templates: MailTemplates, digest: Digest): RenderedMail {
  const fresh = digest.issues.filter((i) => i.reason === 'new' || i.reason === 'regression').length;
  const total = digest.issues.length + digest.omitted;
  const subject = subjectLine(
    digest.subject.replaceAll('{count}', String(total)).replaceAll('{new}', String(fresh)).replaceAll('{source}', digest.sourceReadable),
  );
  const view = {
    subject,
    summary: `${total} open ${plural(total, 'issue')}, ${fresh} new.`,
    sourceReadable: digest.sourceReadable,
    owner: digest.owner,
    omitted: digest.omitted,
    ownerPageUrl: digest.ownerPageUrl,
    issues: digest.issues.map((issue) => ({
      ...summaryView(issue),
      reasonLabel: REASON_LABEL[issue.reason],
      isNew: issue.reason === 'new' || issue.reason === 'regression',
      instructions: issue.instructions,
      actions: issue.actions,
      detailsUrl: webLink(issue.metadata.reportUrl),
    })),
  };
  const partials = { intro: templates.introFor(digest.source) };
  return { to: digest.owner, subject, html: templates.digest.html(view, { partials }), text: templates.digest.text(view, { partials }), category: 'digest' };
}

export function renderEscalation(templates: MailTemplates, escalation: Escalation): RenderedMail {
  const total = escalation.issues.length + escalation.omitted;
  const subject = subjectLine(`Escalation: ${total} unaddressed ${plural(total, 'issue')} from ${escalation.sourceReadable}`);
  const view = {
    subject,
    summary: `${total} ${plural(total, 'issue')} from ${escalation.sourceReadable} ${total === 1 ? 'needs' : 'need'} attention.`,
    sourceReadable: escalation.sourceReadable,
    recipient: escalation.recipient,
    omitted: escalation.omitted,
    issues: escalation.issues.map((issue) => ({
      ...summaryView(issue),
      reasonLabel: `${REASON_LABEL[issue.reason]}${issue.firstEscalation ? '' : ' (again)'}`,
    })),
  };
  return { to: escalation.recipient, subject, html: templates.escalation.html(view), text: templates.escalation.text(view), category: 'escalation' };
}

const releaseCurl = 'curl -X POST -H "Authorization: Bearer $(gcloud auth print-identity-token)"';

export function renderFloodAlert(templates: MailTemplates, alert: FloodAlert, recipient: string): RenderedMail {
  const { hold } = alert;
  const subject = subjectLine(`Held: ${hold.newIssues} new issues from ${hold.sourceReadable}, for ${hold.owners} ${plural(hold.owners, 'owner')}`);
  const usual = hold.usual === null ? 'its first batch' : `about ${Math.round(hold.usual)} per batch usually`;
  const view = {
    subject,
    summary: `One batch of ${hold.sourceReadable} opens ${hold.newIssues} new issues (${usual}; the limit is ${hold.threshold}).`,
    sourceReadable: hold.sourceReadable,
    floodsPageUrl: alert.floodsPageUrl,
    releaseCommand: `${releaseCurl} ${alert.floodsPageUrl}/${alert.source}/release`,
    discardCommand: `${releaseCurl} -H 'content-type: application/json' -d '{"discard": true}' ${alert.floodsPageUrl}/${alert.source}/release`,
    topOwners: hold.topOwners,
    topIssueTypes: hold.topIssueTypes,
  };
  return { to: recipient, subject, html: templates.flood.html(view), text: templates.flood.text(view), category: 'flood' };
}

function summaryView(issue: IssueSummary) {
  const { metadata } = issue;
  return {
    fingerprint: issue.fingerprint,
    owner: issue.owner,
    title: metadata.issueTypeReadable ?? metadata.issueType ?? issue.fingerprint,
    resource: metadata.resourceReadable ?? metadata.resource ?? '',
    // Only known values: the severity also names a CSS class.
    severity: SEVERITIES.find((s) => s === metadata.severity),
    firstSeen: `${issue.firstSeen.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

/** Alert text can carry line breaks; in a subject they would inject mail headers. */
function subjectLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Only http(s) links from alert text become clickable: no `javascript:` or `data:` URLs. */
function webLink(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(value) ? value : undefined;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
