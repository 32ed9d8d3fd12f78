import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', 'templates');

const FAST = { knownHelpersOnly: true, data: false, assumeObjects: true } as const;

type Render = (context: object, options?: { partials?: Record<string, Handlebars.TemplateDelegate> }) => string;

export interface MailTemplate {
  html: Render;
  text: Render;
}

/**
 * The mail templates, compiled once per instance: MJML to HTML (at build
 * time when deployed, here when running from the repository), then HTML and
 * text to Handlebars functions that render a mail in microseconds. HTML
 * templates escape every value; text ones need not. A source may replace
 * the intro with `templates/<source>/intro.hbs`.
 */
export class MailTemplates {
  readonly digest: MailTemplate;
  readonly escalation: MailTemplate;
  readonly flood: MailTemplate;
  readonly weeklySummary: MailTemplate;
  private readonly intros: Map<string, Handlebars.TemplateDelegate>;
  private readonly defaultIntro: Handlebars.TemplateDelegate;

  private constructor(parts: {
    digest: MailTemplate;
    escalation: MailTemplate;
    flood: MailTemplate;
    weeklySummary: MailTemplate;
    intros: Map<string, Handlebars.TemplateDelegate>;
    defaultIntro: Handlebars.TemplateDelegate;
  }) {
    this.digest = parts.digest;
    this.escalation = parts.escalation;
    this.flood = parts.flood;
    this.weeklySummary = parts.weeklySummary;
    this.intros = parts.intros;
    this.defaultIntro = parts.defaultIntro;
  }

  static async load(dir: string = TEMPLATES_DIR): Promise<MailTemplates> {
    const handlebars = Handlebars.create();
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const intros = new Map<string, Handlebars.TemplateDelegate>();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const intro = join(dir, entry.name, 'intro.hbs');
      if (entry.isDirectory() && existsSync(intro)) intros.set(entry.name, handlebars.compile(readFileSync(intro, 'utf8').trim()));
    }
    return new MailTemplates({
      digest: await compileMail(handlebars, dir, 'digest'),
      escalation: await compileMail(handlebars, dir, 'escalation'),
      flood: await compileMail(handlebars, dir, 'flood'),
      weeklySummary: await compileMail(handlebars, dir, 'weekly-summary'),
      intros,
      defaultIntro: handlebars.compile(read('intro.hbs').trim()),
    });
  }

  introFor(source: string): Handlebars.TemplateDelegate {
    return this.intros.get(source) ?? this.defaultIntro;
  }
}

/** One mail's HTML and text templates, compiled. */
async function compileMail(handlebars: typeof Handlebars, dir: string, name: string): Promise<MailTemplate> {
  // A build ships the MJML already compiled (`<name>.html`): MJML itself is 75 MiB of memory and a second of start-up.
  const precompiled = join(dir, `${name}.html`);
  const html = existsSync(precompiled) ? readFileSync(precompiled, 'utf8') : await compileMjml(dir, name);
  return {
    // No helpers beyond the built-in block ones, and no @data variables: Handlebars then compiles straight-line code.
    html: handlebars.compile(html, FAST),
    text: handlebars.compile(readFileSync(join(dir, `${name}.txt.hbs`), 'utf8'), { ...FAST, noEscape: true }),
  };
}

/** A template's MJML as HTML, with its Handlebars placeholders left in place. */
export async function compileMjml(dir: string, name: string): Promise<string> {
  const { default: mjml2html } = await import('mjml');
  const { html, errors } = await mjml2html(readFileSync(join(dir, `${name}.mjml`), 'utf8'), { validationLevel: 'soft', keepComments: false });
  if (errors.length > 0) throw new Error(`templates/${name}.mjml: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  return html;
}

/** The mails every deployment renders. */
export const MAIL_TEMPLATES = ['digest', 'escalation', 'flood', 'weekly-summary'] as const;
