import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { RenderedMail } from './render.ts';

export interface Mailer {
  /** Resolves once the mail service accepted the mail; rejects otherwise. */
  send(mail: RenderedMail): Promise<void>;
}

export interface SendgridOptions {
  apiKey: string;
  from: { email: string; name?: string | undefined };
  /** The API's base URL; the local sink in `emulator/` when running locally. */
  baseUrl?: string | undefined;
  timeoutMs: number;
}

/** Mail through the real `@sendgrid/mail` client, on a client of its own so settings never leak between instances. */
export function sendgridMailer(options: SendgridOptions): Mailer {
  const client = new Client();
  // setApiKey resets the base URL, so it goes first.
  client.setApiKey(options.apiKey);
  if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
  // Default requests are axios options; its `timeout` is missing from the client's types.
  (client.setDefaultRequest as (key: string, value: unknown) => Client)('timeout', options.timeoutMs);
  const service = new MailService();
  service.setClient(client);
  return {
    async send(mail) {
      await service.send({
        to: mail.to,
        from: options.from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        categories: ['comet', mail.category],
        // Click tracking would rewrite the signed action links.
        trackingSettings: { clickTracking: { enable: false, enableText: false } },
      });
    },
  };
}
