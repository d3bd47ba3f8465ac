import type { LayerSummary } from "./api.ts";
import { label, t } from "./i18n.ts";

/**
 * The words for an attribute's value, from the layer schema GET /api/v1/layers publishes (each field's
 * `x-value-labels`, from the server's layer registry: the one source of labels): a code's label (an
 * enum's, a risk level's 重大…低, a known specialty's or facility's), lists joined with 、, yes or no.
 * A code without a label stays as it is.
 */
export function valueText(layer: LayerSummary | undefined, field: string, value: unknown): string {
  const labels = layer?.schema.properties[field]?.["x-value-labels"];
  const one = (v: unknown) => {
    const l = labels?.[String(v)];
    return l ? label(l) : String(v);
  };
  if (Array.isArray(value)) return value.map(one).join("、");
  if (typeof value === "boolean") return t(value ? "yes" : "no");
  return one(value);
}

/** The codes of a field whose label or code contains the text typed (危化 → hazmat), best first: an exact match, then the rest. */
export function codesMatching(layer: LayerSummary | undefined, field: string, typed: string): string[] {
  const labels = layer?.schema.properties[field]?.["x-value-labels"] ?? {};
  const s = typed.trim().toLowerCase();
  if (!s) return [];
  const words = (code: string) => [code, labels[code]!.zh, labels[code]!.en].map((w) => w.toLowerCase());
  const exact = Object.keys(labels).filter((c) => words(c).includes(s));
  const partial = Object.keys(labels).filter((c) => !exact.includes(c) && words(c).some((w) => w.includes(s)));
  return [...exact, ...partial];
}

/** Attributes that hold a risk level (1 重大 … 4 低), drawn with its colour beside its word. */
export const isRiskLevel = (field: string) => field === "risk_level" || field === "max_risk_level";
