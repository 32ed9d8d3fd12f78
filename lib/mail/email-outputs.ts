import type { Escalator, Router } from '../model/delivery.ts';
import { renderDigest, renderEscalation } from './render.ts';
import type { Mailer } from './sendgrid.ts';
import type { MailTemplates } from './templates.ts';

/** The default outputs: every digest and escalation as an HTML and text email. */
export function emailOutputs(templates: MailTemplates, mailer: Mailer): { router: Router; escalator: Escalator } {
  return {
    router: (digest) => mailer.send(renderDigest(templates, digest)),
    escalator: (escalation) => mailer.send(renderEscalation(templates, escalation)),
  };
}
