import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSources } from '../../lib/sources/index.ts';
import { METRICS_JOBS } from '../../lib/metrics/jobs.ts';
import { compositeIndexFor, QUERIES } from '../../lib/store/queries.ts';
import { LOG_METRICS, metricFields } from '../../lib/util/log.ts';

/**
 * Terraform cannot run here, so these tests read the HCL (parsed offline by
 * @cdktf/hcl2json) and hold it to the code: the functions it deploys, the
 * scheduler jobs, and the Firestore indexes production needs but the
 * emulator does not enforce.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const TERRAFORM = join(ROOT, 'terraform');

type Hcl = Record<string, Record<string, unknown>[] | Record<string, Record<string, unknown>[]>>;

async function parseDir(dir: string): Promise<Hcl[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf'));
  return Promise.all(files.map(async (f) => (await parse(f, readFileSync(join(dir, f), 'utf8'))) as Hcl));
}

let root: Hcl[];
let module: Hcl[];
const locals = () => Object.assign({}, ...root.flatMap((h) => (h.locals as Record<string, unknown>[] | undefined) ?? [])) as Record<string, unknown>;
const modules = () => Object.assign({}, ...root.flatMap((h) => Object.entries((h.module as Record<string, Record<string, unknown>[]> | undefined) ?? {}).map(([name, [body]]) => ({ [name]: body })))) as Record<string, Record<string, unknown>>;

beforeAll(async () => {
  root = await parseDir(TERRAFORM);
  module = await parseDir(join(TERRAFORM, 'modules', 'function'));
});

describe('terraform against the code', () => {
  it('deploys functions whose entry points the build registers', () => {
    execFileSync(process.execPath, [join(TERRAFORM, 'build.ts')], { cwd: ROOT, stdio: 'pipe' });
    const entries = Object.values(modules()).map((m) => m.entry_point as string);
    expect(entries.sort()).toEqual(['api', 'dispatch', 'ingest']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8')) as { main: string };
    const main = readFileSync(join(ROOT, 'dist', pkg.main), 'utf8');
    for (const entry of entries) {
      // The main module loads the entry point's module, which registers it.
      expect(main).toMatch(new RegExp(`case '${entry}':\\s+await import\\(["']\\./${entry}\\.js["']\\)`));
      expect(readFileSync(join(ROOT, 'dist', 'functions', `${entry}.js`), 'utf8')).toMatch(new RegExp(`functions\\.(http|cloudEvent)\\('${entry}'`));
    }
  });

  it('has a scheduler job for every source, on its schedule, and none for sources that do not exist', async () => {
    const schedules = Object.fromEntries((await loadSources()).all().map((s) => [s.name, s.config.schedule]));
    expect(locals().dispatch_schedules).toEqual(schedules);
  });

  it('has a scheduler job for every metrics job, on its schedule, named apart from the sources', async () => {
    expect(locals().metrics_jobs).toEqual(METRICS_JOBS);
    const sources = (await loadSources()).all().map((s) => s.name);
    expect(Object.keys(METRICS_JOBS).filter((job) => sources.includes(job))).toEqual([]);
  });

  it('defines a log-based metric for every counted log line, labelled by fields those lines carry', () => {
    const metrics = locals().log_metrics as Record<string, { labels: string | string[]; seconds: boolean }>;
    expect(Object.keys(metrics).sort()).toEqual(Object.values(LOG_METRICS).sort());
    const labels = locals().log_metric_labels as string[];
    for (const [name, metric] of Object.entries(metrics)) {
      const line = metricFields(name as (typeof LOG_METRICS)[keyof typeof LOG_METRICS], { source: 'forseti', ou: 'web', severity: 'high' }, { action: 'snooze', seconds: 60 });
      const declared = name === LOG_METRICS.issueAction ? [...labels, 'action'] : labels;
      for (const label of declared) expect(line).toHaveProperty(label);
      expect(line.metric).toBe(name);
      // Cloud Logging reads these two itself.
      expect(line).not.toHaveProperty('severity');
      expect(line).not.toHaveProperty('message');
      // Only the first-action metric is a distribution, of `seconds`.
      expect(metric.seconds).toBe(name === LOG_METRICS.firstAction);
    }
    const resources = root.flatMap((h) => Object.values((h.resource as Record<string, Record<string, Record<string, unknown>[]>> | undefined)?.google_logging_metric ?? {}).flat());
    expect(resources).toHaveLength(1);
    // Each metric counts the lines whose `metric` field names it, and takes its labels from jsonPayload fields of the same names.
    expect(resources[0]?.filter).toBe('jsonPayload.metric="${each.key}"');
    expect(resources[0]?.label_extractors).toBe('${{ for label in each.value.labels : label => "EXTRACT(jsonPayload.${label})" }}');
    expect(resources[0]?.value_extractor).toBe('${each.value.seconds ? "EXTRACT(jsonPayload.seconds)" : null}');
  });

  it('creates exactly the composite indexes the code queries need', () => {
    const needed = new Set(
      Object.values(QUERIES)
        .map(compositeIndexFor)
        .filter((i) => i !== undefined)
        .map((i) => `${i.collection}(${i.fields.map((f) => `${f.field} ${f.order}`).join(', ')})`),
    );
    const declared = new Set(
      Object.values(locals().firestore_indexes as Record<string, { collection: string; fields: [string, string][] }>).map(
        (i) => `${i.collection}(${i.fields.map(([field, order]) => `${field} ${order}`).join(', ')})`,
      ),
    );
    expect([...declared].sort()).toEqual([...needed].sort());
  });

  it('lets only the API be called from outside', () => {
    const byName = modules();
    expect(Object.entries(byName).filter(([, m]) => m.public === true).map(([name]) => name)).toEqual(['api']);
    for (const name of ['ingest', 'dispatch']) expect((byName[name]?.invokers as string[]).length).toBe(1);
    const moduleSource = readFileSync(join(TERRAFORM, 'modules', 'function', 'main.tf'), 'utf8');
    expect(moduleSource).toContain('ingress_settings      = var.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"');
  });

  it('deploys on the nodejs24 runtime', () => {
    const resources = module.find((h) => h.resource)?.resource as unknown as Record<string, Record<string, { build_config: { runtime: string }[] }[]>>;
    const functions = Object.values(resources.google_cloudfunctions2_function ?? {}).flat();
    expect(functions.map((f) => f.build_config[0]?.runtime)).toEqual(['nodejs24']);
  });
});

describe('queries', () => {
  it('are all built from the specs in lib/store/queries.ts, so the index test sees every one', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('queries.ts') && /\.(where|orderBy)\(/.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    walk(join(ROOT, 'lib'));
    expect(offenders).toEqual([]);
  });
});
