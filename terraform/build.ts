import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { compileMjml, MAIL_TEMPLATES } from '../lib/mail/templates.ts';

/**
 * `npm run build`: the deployable source in `dist/`, which Terraform zips
 * and names by its hash. Compiled JavaScript, the mail templates, the owner
 * directory, and a package.json with production dependencies only.
 */
const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
cpSync(join(root, 'templates'), join(dist, 'templates'), { recursive: true });
// Compiled here so that the dispatch function never loads MJML.
for (const name of MAIL_TEMPLATES) writeFileSync(join(dist, 'templates', `${name}.html`), await compileMjml(join(root, 'templates'), name));
cpSync(join(root, 'lib', 'sources', 'owners.json'), join(dist, 'lib', 'sources', 'owners.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; engines: object; dependencies: object };
writeFileSync(
  join(dist, 'package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module', main: 'functions/index.js', engines: pkg.engines, dependencies: pkg.dependencies }, null, 2)}\n`,
);
console.log(`built ${dist}`);
