/**
 * The point the commander asked about (set by a click, Enter, or a hazard), shared by the panels that ask
 * about it — not an incident (突发事件, map/incidents_layer.ts), which is an area with a name.
 */
export type LonLat = [number, number];

let current: LonLat | undefined;
const listeners: ((at: LonLat) => void)[] = [];

export const askedPoint = () => current;

export function setAskedPoint(at: LonLat) {
  current = at;
  listeners.forEach((f) => f(at));
}

export const onAskedPoint = (f: (at: LonLat) => void) => listeners.push(f);
