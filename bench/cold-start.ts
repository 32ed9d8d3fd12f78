import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Figure } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');

/**
 * Time to import each function's compiled module in a fresh Node process, as
 * a new Cloud Functions instance does, and which heavy packages it loaded.
 * Needs `npm run build` (bench/run.ts does it).
 */
export function benchColdStart(runs = 5): Figure[] {
  const figures: Figure[] = [];
  for (const fn of ['ingest', 'dispatch', 'api']) {
    const script = `
      const t0 = performance.now();
      await import(${JSON.stringify(join(ROOT, 'dist', 'functions', `${fn}.js`))});
      const ms = performance.now() - t0;
      // Let the function's start-up (template loading) finish before looking.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ ms, mjml: loaded.some((p) => p.includes('/mjml')), sendgrid: loaded.some((p) => p.includes('/@sendgrid/')) }));
      process.exit(0);`;
    const samples = Array.from({ length: runs }, () => {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(ROOT, 'dist'),
        env: { ...process.env, COMET_LINK_SECRET: 'bench', SENDGRID_API_KEY: 'SG.bench', COMET_API_URL: 'http://localhost', GOOGLE_CLOUD_PROJECT: 'bench', METADATA_SERVER_DETECTION: 'none' },
        encoding: 'utf8',
      });
      return JSON.parse(out.trim().split('\n').pop() as string) as { ms: number; mjml: boolean; sendgrid: boolean };
    });
    const median = samples.map((s) => s.ms).sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
    const heavy = samples[0]?.mjml || samples[0]?.sendgrid;
    figures.push({
      benchmark: 'cold start',
      figure: `${fn}: import of its module (median of ${runs})`,
      value: median,
      unit: 'ms',
      ...(fn === 'ingest' ? { target: '<= 200', met: median <= 200 } : {}),
    });
    if (fn === 'dispatch') figures.push({ benchmark: 'cold start', figure: 'dispatch loads MJML (templates come compiled)', value: samples[0]?.mjml ? 1 : 0, unit: samples[0]?.mjml ? '(yes)' : '(no)' });
    if (fn === 'ingest') figures.push({ benchmark: 'cold start', figure: 'ingest loads MJML or the SendGrid client', value: heavy ? 1 : 0, unit: heavy ? '(yes)' : '(no)', target: 'no', met: !heavy });
  }
  return figures;
}
