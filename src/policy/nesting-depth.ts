/**
 * Policies nest selectors (`anyOf`, `not`); the schema validator and the selector compiler recurse over
 * them, so a document nested thousands deep would overflow the stack. Real policies nest a few levels.
 */
export const MAX_POLICY_DEPTH = 32;

/**
 * The JSON path where a parsed document first nests deeper than `limit` (arrays and objects both count),
 * or undefined. Iterative, so it cannot overflow the stack itself.
 */
export function tooDeepAt(data: unknown, limit: number = MAX_POLICY_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: data, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limit) return path === '' ? '(top level)' : path;
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) stack.push({ value: child, path: `${path}/${key}`, depth: depth + 1 });
  }
  return undefined;
}

/** A path cut to its first segments, for a one-line message: "/rules/0/suites/not/not/… (40 levels)". */
export function shortPath(path: string, segments = 8): string {
  const parts = path.split('/').slice(1);
  return parts.length <= segments ? path : `/${parts.slice(0, segments).join('/')}/… (${parts.length} levels)`;
}
