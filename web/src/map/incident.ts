/** The incident point the commander set (by a click, Enter, or a hazard), shared by the panels that ask about it. */
export type LonLat = [number, number];

let current: LonLat | undefined;
const listeners: ((at: LonLat) => void)[] = [];

export const incident = () => current;

export function setIncident(at: LonLat) {
  current = at;
  listeners.forEach((f) => f(at));
}

export const onIncident = (f: (at: LonLat) => void) => listeners.push(f);
