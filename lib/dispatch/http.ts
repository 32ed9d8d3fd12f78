import type { Request, Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { METRICS_JOB_NAMES, type MetricsJob } from '../metrics/jobs.ts';
import type { Logger } from '../util/log.ts';
import { type DispatchDependencies, dispatchSource, type DispatchSummary } from './run.ts';

const bodySchema = z
  .object({ source: z.string().min(1).optional(), job: z.enum(METRICS_JOB_NAMES).optional() })
  .strict()
  .refine((body) => !(body.source && body.job), 'a body names a source or a job, not both');

/** Cloud Scheduler posts its body as bytes unless told the content type; read it as JSON either way. */
function jsonBody(body: unknown): unknown {
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const text = body.toString().trim();
    if (text === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      return { unparseable: text.slice(0, 100) };
    }
  }
  return body && typeof body === 'object' ? body : {};
}

/**
 * The dispatch function's HTTP body. Cloud Scheduler posts `{"source": NAME}`
 * for each source on its schedule; without a source, every source is
 * dispatched. `X-Comet-Now` moves the clock, only where
 * `allowClockOverride` is on (local runs and tests).
 */
export function createDispatchHandler(deps: DispatchDependencies & { log: Logger; allowClockOverride: boolean; runJob: (job: MetricsJob, now: () => Date) => Promise<object> }) {
  return async function dispatch(req: Request, res: Response): Promise<void> {
    const body = bodySchema.safeParse(jsonBody(req.body));
    if (!body.success) {
      res.status(400).json({ error: 'expected a JSON body like {"source": "forseti"} or {"job": "weekly-summary"}', details: body.error.issues.map((i) => i.message) });
      return;
    }
    const override = req.get('x-comet-now');
    let now = deps.now;
    if (override) {
      const at = new Date(override);
      if (!deps.allowClockOverride || Number.isNaN(at.getTime())) {
        res.status(400).json({ error: 'X-Comet-Now is only accepted by a local deployment, as an ISO date' });
        return;
      }
      now = () => at;
    }
    if (body.data.job) return runJob(body.data.job, now, deps, res);
    const names = body.data.source ? [body.data.source] : deps.registry.all().map((s) => s.name);
    const unknown = names.filter((n) => !deps.registry.source(n));
    if (unknown.length > 0) {
      res.status(404).json({ error: `no source named ${unknown.join(', ')}` });
      return;
    }
    const summaries: DispatchSummary[] = [];
    try {
      for (const name of names) summaries.push(await dispatchSource(name, { ...deps, now }));
    } catch (error) {
      deps.log.error('dispatch failed; the scheduler will try again', { error });
      res.status(500).json({ error: 'dispatch failed', summaries });
      return;
    }
    res.status(200).json({ summaries });
  };
}

async function runJob(job: MetricsJob, now: () => Date, deps: { log: Logger; runJob: (job: MetricsJob, now: () => Date) => Promise<object> }, res: Response): Promise<void> {
  try {
    res.status(200).json({ job, result: await deps.runJob(job, now) });
  } catch (error) {
    deps.log.error(`${job} failed; the scheduler will try again`, { error });
    res.status(500).json({ error: `${job} failed` });
  }
}
