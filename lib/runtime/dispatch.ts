import { createDispatchHandler } from '../dispatch/http.ts';
import { emailOutputs, floodAlertEmail } from '../mail/email-outputs.ts';
import { sendgridMailer } from '../mail/sendgrid.ts';
import { MailTemplates } from '../mail/templates.ts';
import { runMetricsJob } from '../metrics/jobs.ts';
import { registerOutputs } from '../outputs/index.ts';
import { loadSources } from '../sources/index.ts';
import { DispatchStore } from '../store/dispatch-store.ts';
import { createFirestore } from '../store/firestore.ts';
import { parseDuration } from '../util/duration.ts';
import { log } from '../util/log.ts';
import { required, securityTeam, storageTimeout } from './env.ts';
import { metricsFromEnvironment } from './metrics.ts';

/** The dispatch function's wiring, from the environment; a missing secret stops it at startup. */
export async function dispatchFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const db = createFirestore(env);
  const apiBaseUrl = required(env, 'COMET_API_URL').replace(/\/+$/, '');
  const metrics = metricsFromEnvironment(db, env);
  const mailer = sendgridMailer({
    apiKey: required(env, 'SENDGRID_API_KEY'),
    from: { email: env.COMET_MAIL_FROM ?? 'comet@example.com', name: env.COMET_MAIL_FROM_NAME ?? 'Comet' },
    baseUrl: env.SENDGRID_API_URL,
    timeoutMs: parseDuration(env.COMET_MAIL_TIMEOUT ?? '10s'),
  });
  const templates = await MailTemplates.load();
  const registry = registerOutputs(await loadSources(undefined, env), emailOutputs(templates, mailer));
  const securityMail = securityTeam(env).mail;
  return createDispatchHandler({
    registry,
    store: new DispatchStore(db, { timeoutMs: storageTimeout(env) }),
    runJob: (job, now) => runMetricsJob(job, { ...metrics, now, log, summary: { template: templates.weeklySummary, mailer, to: securityMail, dashboardUrl: `${apiBaseUrl}/v0/stats` } }),
    links: {
      apiBaseUrl,
      secret: required(env, 'COMET_LINK_SECRET'),
      ttlMs: parseDuration(env.COMET_LINK_TTL ?? '30d'),
    },
    log,
    now: () => new Date(),
    pageSize: 1_000,
    issuesPerStep: 500,
    leaseTtlMs: parseDuration(env.COMET_DISPATCH_LEASE ?? '10m'),
    sendConcurrency: 8,
    notifyFlood: securityMail ? floodAlertEmail(templates, mailer, securityMail) : undefined,
    allowClockOverride: env.COMET_ALLOW_CLOCK_OVERRIDE === 'true',
  });
}

