/** Names longer than this get no suggestion: no registry value is near a name this long. */
export const MAX_SUGGESTION_INPUT = 96;
/** Edits allowed between a misspelling and a suggestion. */
const MAX_EDITS = 3;

/**
 * Levenshtein distance, or Infinity once it must exceed `limit`: each row's minimum only grows, so a
 * row whose minimum is past the limit ends the work early.
 */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(d);
      if (d < min) min = d;
    }
    if (min > limit) return Infinity;
    prev = row;
  }
  const d = prev[b.length]!;
  return d <= limit ? d : Infinity;
}

/**
 * The candidate nearest to a misspelt value: the same word in another case first, then the one a few
 * edits away. Bounded: a value longer than MAX_SUGGESTION_INPUT gets none, so an absurd input cannot
 * make validation slow.
 */
export function nearest(value: string, candidates: Iterable<string>): string | undefined {
  const wanted = value.trim().toUpperCase();
  if (wanted.length === 0 || wanted.length > MAX_SUGGESTION_INPUT) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = candidate.toUpperCase() === wanted ? 0 : boundedDistance(wanted, candidate.toUpperCase(), Math.min(MAX_EDITS, best ? best.d - 1 : MAX_EDITS));
    if (d === 0) return candidate;
    if (d !== Infinity && (best === undefined || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}

/** A value as a one-line message quotes it: long ones cut, so the error stays one readable line. */
export function quoted(value: string, max = 60): string {
  const flat = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return flat.length <= max ? `'${flat}'` : `'${flat.slice(0, max)}…' (${value.length} characters)`;
}
