/** A seeded generator (LCG) so a failing random case can be replayed; [0, 1). */
export function prng(seed: number): () => number {
  return () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}
