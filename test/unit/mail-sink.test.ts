import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../../emulator/mail-sink.ts';
import { sendgridMailer } from '../../lib/mail/sendgrid.ts';

const mail = { to: 'alice@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', category: 'digest' as const };

describe('the local SendGrid sink, driven by the real @sendgrid/mail client', () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink({ hangMs: 2_000 });
  });
  afterAll(() => sink.stop());
  beforeEach(() => {
    sink.clear();
    sink.setFailures({ rate: 0, modes: [] });
  });

  const mailer = (overrides: { apiKey?: string; from?: string } = {}) =>
    sendgridMailer({ apiKey: overrides.apiKey ?? 'SG.test', from: { email: overrides.from ?? 'comet@example.com', name: 'Comet' }, baseUrl: sink.url, timeoutMs: 500 });

  it('accepts a valid mail and keeps it for the inbox', async () => {
    await mailer().send(mail);
    expect(sink.mails()).toEqual([expect.objectContaining({ to: ['alice@example.com'], from: 'comet@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', categories: ['comet', 'digest'] })]);
    const inbox = await (await fetch(sink.url)).text();
    expect(inbox).toContain('alice@example.com');
    const [captured] = sink.mails();
    const page = await fetch(`${sink.url}/mails/${captured!.id}/html`);
    expect(page.headers.get('content-security-policy')).toMatch(/^sandbox/);
  });

  it('answers 400 with errors, as SendGrid does, for an invalid mail', async () => {
    const rejection = await mailer({ from: 'not an address' }).send(mail).catch((e: unknown) => e);
    expect(rejection).toMatchObject({ code: 400, response: { body: { errors: [expect.objectContaining({ field: 'from.email' })] } } });
    const noRecipient = await mailer().send({ ...mail, to: 'nobody' }).catch((e: unknown) => e);
    expect(noRecipient).toMatchObject({ code: 400 });
    expect(sink.mails()).toHaveLength(0);
  });

  it('answers 401 without an API key', async () => {
    const res = await fetch(`${sink.url}/v3/mail/send`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });

  it('fails on purpose when told to: server errors, rate limits and timeouts', async () => {
    for (const [mode, code] of [
      ['server-error', 500],
      ['rate-limit', 429],
    ] as const) {
      sink.setFailures({ rate: 1, modes: [mode] });
      expect(await mailer().send(mail).catch((e: unknown) => e)).toMatchObject({ code });
    }
    sink.setFailures({ rate: 1, modes: ['timeout'] });
    expect(await mailer().send(mail).catch((e: unknown) => e)).toMatchObject({ message: expect.stringMatching(/timeout/i) });
    expect(sink.mails()).toHaveLength(0);
    expect(sink.attempts()).toBe(3);
  });
});
