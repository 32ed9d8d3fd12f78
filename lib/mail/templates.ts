import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';

export const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', 'templates');

type Render = (context: object, options?: { partials?: Record<string, Handlebars.TemplateDelegate> }) => string;

export interface MailTemplate {
  html: Render;
  text: Render;
}

/**
 * The mail templates, compiled once per instance: MJML to HTML (the slow
 * part, tens of ms), then HTML and text to Handlebars functions that render
 * a mail in microseconds. HTML templates escape every value; text ones do not
 * need to. A source may replace the intro with `templates/<source>/intro.hbs`.
 */
export class MailTemplates {
  readonly digest: MailTemplate;
  readonly escalation: MailTemplate;
  private readonly intros: Map<string, Handlebars.TemplateDelegate>;
  private readonly defaultIntro: Handlebars.TemplateDelegate;

  private constructor(parts: { digest: MailTemplate; escalation: MailTemplate; intros: Map<string, Handlebars.TemplateDelegate>; defaultIntro: Handlebars.TemplateDelegate }) {
    this.digest = parts.digest;
    this.escalation = parts.escalation;
    this.intros = parts.intros;
    this.defaultIntro = parts.defaultIntro;
  }

  static async load(dir: string = TEMPLATES_DIR): Promise<MailTemplates> {
    const handlebars = Handlebars.create();
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const compileMail = async (name: string): Promise<MailTemplate> => {
      const { html, errors } = await mjml2html(read(`${name}.mjml`), { validationLevel: 'soft', keepComments: false });
      if (errors.length > 0) throw new Error(`templates/${name}.mjml: ${errors.map((e) => e.formattedMessage).join('; ')}`);
      return {
        html: handlebars.compile(html, { strict: false }),
        text: handlebars.compile(read(`${name}.txt.hbs`), { noEscape: true }),
      };
    };
    const intros = new Map<string, Handlebars.TemplateDelegate>();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const intro = join(dir, entry.name, 'intro.hbs');
      if (entry.isDirectory() && existsSync(intro)) intros.set(entry.name, handlebars.compile(readFileSync(intro, 'utf8').trim()));
    }
    return new MailTemplates({
      digest: await compileMail('digest'),
      escalation: await compileMail('escalation'),
      intros,
      defaultIntro: handlebars.compile(read('intro.hbs').trim()),
    });
  }

  introFor(source: string): Handlebars.TemplateDelegate {
    return this.intros.get(source) ?? this.defaultIntro;
  }
}
