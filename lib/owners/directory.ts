import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Who owns a resource, and which directory rule said so. */
export interface OwnerMatch {
  owner: string;
  ou?: string | undefined;
  /** The matching rule's name, `alert` for an owner named by the alert itself, or `default`. */
  rule: string;
}

/** Matches this module made from a validated directory file, so callers need not check them again. */
const issued = new WeakSet<OwnerMatch>();

export function isDirectoryMatch(value: unknown): value is OwnerMatch {
  return typeof value === 'object' && value !== null && issued.has(value as OwnerMatch);
}

function issue(match: OwnerMatch): OwnerMatch {
  const frozen = Object.freeze(match);
  issued.add(frozen);
  return frozen;
}

export const DEFAULT_RULE = 'default';
export const ALERT_RULE = 'alert';

const ruleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  /** Glob patterns on the resource: `*` matches within one `/`-separated segment, `**` across segments. */
  match: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  owner: z.email(),
  ou: z.string().min(1).optional(),
});

export const directoryFileSchema = z.strictObject({
  defaultOwner: z.email(),
  defaultOu: z.string().min(1).optional(),
  /** The organisation's OUs, for the coverage report; without it, the OUs the rules name. */
  ous: z.array(z.string().min(1)).optional(),
  rules: z.array(ruleSchema).default([]),
});

export type DirectoryFile = z.input<typeof directoryFileSchema>;

interface CompiledRule {
  name: string;
  patterns: RegExp[];
  owner: string;
  ou: string | undefined;
}

const EMAIL = z.email();

/**
 * Maps resources to owners from a config file. Rules are tried in order and
 * the first match wins, so put specific patterns before broad ones.
 */
export class OwnerDirectory {
  readonly defaultOwner: string;
  private readonly defaultOu: string | undefined;
  private readonly rules: CompiledRule[];
  private readonly listedOus: readonly string[] | undefined;

  constructor(file: DirectoryFile) {
    const parsed = directoryFileSchema.parse(file);
    this.defaultOwner = parsed.defaultOwner;
    this.defaultOu = parsed.defaultOu;
    this.listedOus = parsed.ous;
    this.rules = parsed.rules.map((rule) => {
      const patterns = typeof rule.match === 'string' ? [rule.match] : rule.match;
      return { name: rule.name ?? patterns.join(' | '), patterns: patterns.map(globToRegExp), owner: rule.owner, ou: rule.ou };
    });
  }

  static fromFile(path: string): OwnerDirectory {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the owner directory ${path}: ${(error as Error).message}`, { cause: error });
    }
    const result = directoryFileSchema.safeParse(json);
    if (!result.success) throw new Error(`invalid owner directory ${path}:\n${z.prettifyError(result.error)}`);
    return new OwnerDirectory(result.data);
  }

  /**
   * The owner of `resource`. Without a matching rule, `alertOwner` (an owner
   * the alert itself names) is used if it is an email address, and the
   * default owner otherwise.
   */
  resolve(resource: string | undefined, alertOwner?: string | null): OwnerMatch {
    if (resource !== undefined) {
      const rule = this.rules.find((r) => r.patterns.some((p) => p.test(resource)));
      if (rule) return issue({ owner: rule.owner, ou: rule.ou, rule: rule.name });
    }
    if (alertOwner && EMAIL.safeParse(alertOwner).success) return issue({ owner: alertOwner, rule: ALERT_RULE });
    return this.fallback();
  }

  /** The OUs every scanner should reach: the `ous` list if the file has one, else every OU its rules and default name. */
  ous(): string[] {
    const named = this.listedOus ?? [...this.rules.map((r) => r.ou), this.defaultOu];
    return [...new Set(named.filter((ou) => ou !== undefined))].sort();
  }

  /** The default owner, for alerts the hydrator could not place. */
  fallback(): OwnerMatch {
    return issue({ owner: this.defaultOwner, ou: this.defaultOu, rule: DEFAULT_RULE });
  }
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
}
