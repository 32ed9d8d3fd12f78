import type { CapturedMail } from '../../../emulator/mail-sink.ts';
import { firestoreFor, sample, startStack, type TestStack } from '../../support/harness.ts';
import { LOCAL_SECURITY_TEAM } from '../../../emulator/local-stack.ts';
import { countOf, dispatchAt, dispatchUntilDrained, issueOwners, type Message, publishAll, untilSettled } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

/** What attackers put in alert text: markup, script, template syntax, header breaks. */
const PAYLOADS = [
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(2)>",
  '<a href="javascript:alert(3)">click</a>',
  'javascript:alert(4)',
  'https://evil.example/"onmouseover="alert(5)',
  '<svg/onload=alert(6)>',
  '</style><style>body{display:none}</style>',
  // Evaluated, this reads TPL-EVALUATED; as text it never does.
  '{{#if true}}TPL{{/if}}-EVALUATED',
  '{{constructor.constructor("alert(7)")()}}',
  '${7*7}<%= 7*7 %>#{7*7}',
  'subject\r\nBcc: victim@evil.example\r\nX-Injected: yes',
];

const SOURCES = ['forseti', 'detectify', 'riskytoaster'];

/** Every path to a string in an alert. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withString(alert: unknown, path: (string | number)[], text: string): unknown {
  const copy = structuredClone(alert) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = text;
  return copy;
}

/** Ways rendered alert text could have come alive in HTML. */
const LIVE_HTML: [string, RegExp][] = [
  ['a script tag', /<script/i],
  ['an event handler attribute', /<[^>]*\son[a-z]+\s*=/i],
  ['a javascript: link', /(href|src)\s*=\s*["']?\s*javascript:/i],
  // The dashboard draws its own SVG charts: look for the payloads' elements.
  ['an injected element', /<img src=x|<svg\/onload|<(iframe|object|embed)\b/i],
  ['an injected style', /<\/style><style>body\{display:none\}/i],
];

/** The problems found in a rendered page or mail part: live markup, or template syntax that was evaluated. */
function liveParts(text: string, html: boolean): string[] {
  const problems = html ? LIVE_HTML.filter(([, pattern]) => pattern.test(text)).map(([what]) => what) : [];
  if (text.includes('TPL-EVALUATED')) problems.push('evaluated template syntax');
  return problems;
}

const escapedScript = (html: string) => html.includes('&lt;script&gt;') || html.includes('&#60;script&#62;');

async function page(stack: TestStack, path: string, user: string): Promise<string> {
  const res = await fetch(`${stack.api.url}${path}`, { headers: { accept: 'text/html', 'x-comet-user': user } });
  if (res.status !== 200) throw new Error(`GET ${path} as ${user} answered ${res.status}`);
  return res.text();
}

/**
 * Attack payloads in every string field of every source's sample alert,
 * through ingest, the flood guard (whose alert and page show alert text
 * too), dispatch, the API, the dashboard and the weekly summary: every mail
 * part, subject and page must carry them as inert text.
 */
export const hostileText: Scenario<{ separatePayloads: boolean }> = {
  name: 'hostile alert text',
  claim: 'renders XSS, header and template injection in every string field of every source as inert text in mails, subjects, pages and the dashboard',
  sizes: { test: { separatePayloads: false }, soak: { separatePayloads: true } },
  async run(emulators, { separatePayloads }) {
    // Any forseti batch of more than one new issue is held, so the flood alert and page render alert text as well.
    const stack = await startStack(emulators, 'hostile', { COMET_SOURCE_CONFIG: JSON.stringify({ forseti: { floodGuard: { minNewIssues: 1 } } }) });
    const db = firestoreFor(stack);
    try {
      const payloads = separatePayloads ? PAYLOADS : [PAYLOADS.join(' ')];
      const messages: Message[] = SOURCES.flatMap((source) => {
        const alert = JSON.parse(sample(source));
        return stringPaths(alert).flatMap((path) => payloads.map((p) => ({ data: JSON.stringify(withString(alert, path, `${p} [${path.join('.')}]`)), attributes: { source_type: source } })));
      });
      const ids = await publishAll(stack, messages, 20);
      await untilSettled(stack, ids);
      const stored = (await db.collection('events').count().get()).data().count;

      const held = await dispatchAt(stack, 'forseti', new Date(Date.now() + 86_400_000));
      const floodsPage = await page(stack, '/v0/floods', LOCAL_SECURITY_TEAM);
      const release = await fetch(`${stack.api.url}/v0/floods/forseti/release`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-comet-user': LOCAL_SECURITY_TEAM }, body: '{}' });
      for (const source of SOURCES) await dispatchUntilDrained(stack, db, source);
      const owners = new Set((await issueOwners(db)).values());
      const ownerPages = await Promise.all([...owners].map((owner) => page(stack, '/v0/issues', owner)));
      // Alert text reaches the security team's figures too (issue types): the dashboard, and the weekly summary, sent as if a week on.
      const dashboard = await page(stack, '/v0/stats', LOCAL_SECURITY_TEAM);
      const summary = await fetch(stack.dispatch.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-comet-now': new Date(Date.now() + 7 * 86_400_000).toISOString() },
        body: JSON.stringify({ job: 'weekly-summary' }),
      });

      const mails: CapturedMail[] = stack.sink.mails();
      const pages = [floodsPage, dashboard, ...ownerPages];
      const htmlProblems = [...mails.map((m) => m.html), ...pages].flatMap((html) => liveParts(html, true));
      const textProblems = mails.flatMap((m) => liveParts(m.text, false));
      const badSubjects = countOf(mails, (m) => /[\r\n]/.test(m.subject) || liveParts(m.subject, false).length > 0);
      const badRecipients = countOf(mails, (m) => m.to.length !== 1 || m.to.some((to) => to.includes('evil.example')));
      return {
        tried: `${messages.length} alerts carrying ${PAYLOADS.length} payloads ${separatePayloads ? 'one at a time' : 'together'} in each string field of ${SOURCES.length} sources; ${stored} stored, the rest refused`,
        checks: [
          check('forseti held as a flood, then released', 'held, 200', `${held.status}, ${release.status}`),
          check('mails rendered', true, mails.length >= SOURCES.length),
          check('weekly summary sent', '200, 1', `${summary.status}, ${countOf(mails, (m) => m.categories.includes('weekly-summary'))}`),
          check('mails showing the payload escaped', true, countOf(mails, (m) => escapedScript(m.html)) > 0),
          check('pages showing the payload escaped', true, countOf(pages, escapedScript) > 0),
          check('live markup in HTML', 'none', htmlProblems.length === 0 ? 'none' : [...new Set(htmlProblems)].join(', ')),
          check('evaluated templates in text', 0, textProblems.length),
          check('subjects with line breaks or injected syntax', 0, badSubjects),
          check('mails to other recipients', 0, badRecipients),
        ],
        lost: 0,
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
