import type { PolicyRef, Report, SkippedPort, Summary } from '../model/report.js';
import { UsageError } from '../errors.js';
import { SCHEMA_VERSION } from '../model/report.js';
import type { PolicyVerdict, Target, TargetObservation } from '../model/target.js';
import type { Status } from '../model/verdict.js';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.js';
import { evaluate } from '../policy/evaluate.js';
import type { Policy } from '../policy/policy.js';
import { VERSION } from '../version.js';

export interface ReportOptions {
  strict?: boolean;
  notices?: string[];
  /** Open ports the sources never treated as TLS; listed after the targets, never judged. */
  skipped?: SkippedPort[];
  /** Fixed time for reproducible output; default now. */
  generatedAt?: Date;
}

export function policyRef(policy: Policy): PolicyRef {
  const ref: PolicyRef = { id: policy.id, name: policy.name };
  if (policy.version !== undefined) ref.version = policy.version;
  const revision = policy.version ?? policy.source?.date;
  if (revision !== undefined) ref.revision = revision;
  if (policy.source) {
    const { title, url, date } = policy.source;
    ref.source = { title, ...(url !== undefined && { url }), ...(date !== undefined && { date }) };
  }
  return ref;
}

/** Evaluates one observation under every policy; the first policy's verdict is the target's `verdict`. */
export function assessTarget(observation: TargetObservation, policies: readonly CompiledPolicy[], strict = false): Target {
  const verdicts: PolicyVerdict[] = policies.map((p) => ({
    policy: p.policy.id,
    ...evaluate(p, observation, { strict }),
  }));
  const first = verdicts[0];
  if (!first) throw new UsageError('A target cannot be assessed without a policy: pass at least one.');
  const { policy: _id, ...verdict } = first;
  const target: Target = { ...observation, verdict };
  if (verdicts.length > 1) target.verdicts = verdicts;
  return target;
}

export function emptySummary(): Summary {
  return { pass: 0, warn: 0, fail: 0, error: 0 };
}

export function summarise(statuses: Iterable<Status>): Summary {
  const summary = emptySummary();
  for (const s of statuses) summary[s] += 1;
  return summary;
}

/** Everything of a report but its targets and summary: what a streamed report writes first. */
export function reportHeader(policies: readonly Policy[], options: ReportOptions = {}): Omit<Report, 'targets' | 'summary'> {
  const [first] = policies;
  if (!first) throw new UsageError('A report needs at least one policy to judge its targets by.');
  const header: Omit<Report, 'targets' | 'summary'> = {
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'tlsaudit', version: VERSION },
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    policy: policyRef(first),
  };
  if (policies.length > 1) header.policies = policies.map(policyRef);
  if (options.strict) header.strict = true;
  if (options.notices && options.notices.length > 0) header.notices = [...options.notices];
  return header;
}

/** Source observations in, a complete report out: evaluate every target, count the statuses. */
export function buildReport(
  observations: Iterable<TargetObservation>,
  policies: readonly Policy[],
  options: ReportOptions = {},
): Report {
  const compiled = policies.map(compilePolicy);
  const targets = [...observations].map((o) => assessTarget(o, compiled, options.strict));
  return {
    ...reportHeader(policies, options),
    targets,
    ...(options.skipped && options.skipped.length > 0 && { skipped: [...options.skipped] }),
    summary: summarise(targets.map((t) => t.verdict.status)),
  };
}

/**
 * Counts statuses as targets go past, keeping nothing else, so a streamed report of any size needs
 * constant memory for its summary and exit status.
 */
export class StatusTally {
  /** Statuses under the first policy: the report's summary. */
  readonly summary: Summary = emptySummary();
  count = 0;
  private anyFail = false;
  private anyError = false;

  add(target: Pick<Target, 'verdict' | 'verdicts'>): void {
    this.count += 1;
    this.summary[target.verdict.status] += 1;
    const statuses = target.verdicts ? target.verdicts.map((v) => v.status) : [target.verdict.status];
    if (statuses.includes('fail')) this.anyFail = true;
    if (statuses.includes('error')) this.anyError = true;
  }

  /**
   * The contract's exit status: 1 when any target fails; else 3 when any could not be assessed, or the
   * input was cut off; else 0. Status is judged over every policy of the run.
   */
  exitCode(options: { incomplete?: boolean } = {}): number {
    if (this.anyFail) return 1;
    return this.anyError || options.incomplete ? 3 : 0;
  }
}

export function exitCodeFor(targets: Iterable<Pick<Target, 'verdict' | 'verdicts'>>, options: { incomplete?: boolean } = {}): number {
  const tally = new StatusTally();
  for (const t of targets) tally.add(t);
  return tally.exitCode(options);
}
