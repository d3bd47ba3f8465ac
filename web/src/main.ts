// Until the map lands: list the layers the API serves, with their counts.
interface LayerSummary { name: string; label: { zh: string; en: string }; count: number }

const list = document.querySelector("#layers")!;
const res = await fetch("/api/v1/layers");
const { layers } = (await res.json()) as { layers: LayerSummary[] };
for (const l of layers) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = `/api/v1/layers/${l.name}/features`;
  a.textContent = `${l.label.zh} ${l.label.en}`;
  li.append(a, ` — ${l.count}`);
  list.append(li);
}
