// Interleaved rounds: each round visits every target once, in an order rotated by one per round,
// so a slow spell of the shared machine spreads over all targets instead of hitting one.

/** Round r's order (r from 0): the list rotated left by r, so each target takes each slot in turn. */
export function roundOrder(list, r) {
  if (list.length === 0) return [];
  const k = r % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * Runs `repeat` rounds of `visit(target, round)` (round from 1). Resolves with a Map from target
 * name to its rows in round order.
 */
export async function runRounds(targets, repeat, visit) {
  const rows = new Map(targets.map((t) => [t.name, []]));
  for (let r = 0; r < repeat; r++) {
    for (const t of roundOrder(targets, r)) rows.get(t.name).push(await visit(t, r + 1));
  }
  return rows;
}
