import type { Escalator, Router } from '../model/delivery.ts';
import type { FloodNotifier } from '../model/flood.ts';
import { renderDigest, renderEscalation, renderFloodAlert } from './render.ts';
import type { Mailer } from './sendgrid.ts';
import type { MailTemplates } from './templates.ts';

/** The default outputs: every digest and escalation as an HTML and text email. */
export function emailOutputs(templates: MailTemplates, mailer: Mailer): { router: Router; escalator: Escalator } {
  return {
    router: (digest) => mailer.send(renderDigest(templates, digest)),
    escalator: (escalation) => mailer.send(renderEscalation(templates, escalation)),
  };
}

/** Flood alerts as email to the security team's address. */
export function floodAlertEmail(templates: MailTemplates, mailer: Mailer, securityMail: string): FloodNotifier {
  return (alert) => mailer.send(renderFloodAlert(templates, alert, securityMail));
}
