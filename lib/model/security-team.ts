/** The people who run Comet: they see the figures, release held floods, and hear about both. */
export interface SecurityTeam {
  /** Who may use the security team's routes: lower-case emails. */
  members: ReadonlySet<string>;
  /** Where flood alerts and weekly summaries go; without it they are only logged. */
  mail: string | undefined;
}
