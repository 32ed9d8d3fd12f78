import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('runs on the Node major of the Cloud Functions runtime it deploys to', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { engines: { node: string } };
  const deployMajor = Number(/>=(\d+)/.exec(pkg.engines.node)?.[1]);
  expect(deployMajor).toBe(24);
  expect(Number(process.versions.node.split('.')[0])).toBe(deployMajor);
});
