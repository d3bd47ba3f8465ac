import { LAYERS } from "../layers/index.ts";

/** Each layer's Chinese name by its URL name (shelters → 应急避难场所): how Chinese messages name layers. */
export const LAYER_NOUNS_ZH: Record<string, string> = Object.fromEntries(LAYERS.map((l) => [l.name, l.label.zh]));
