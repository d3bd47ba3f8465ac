// A search thread of search_pool.ts: holds the graph it was last sent (shared arrays) and answers packed
// searches with search(), in the order asked.
import { parentPort } from "node:worker_threads";
import { RoadGraph, type SearchArrays } from "./graph.ts";
import { search } from "./search.ts";
import { unpack, type Answered, type PackedSearches } from "./search_pool.ts";

let graph: RoadGraph | undefined;

parentPort!.on("message", (message: { graph: SearchArrays } | { job: number; searches: PackedSearches }) => {
  if ("graph" in message) {
    graph = RoadGraph.forSearch(message.graph);
    return;
  }
  const { job, searches } = message;
  try {
    const answers: Answered[] = unpack(searches).map((input) => {
      const { targetSeconds, targetMetres, targetStart, routes } = search(graph!, input);
      return { targetSeconds, targetMetres, targetStart, routes };
    });
    parentPort!.postMessage(
      { job, answers },
      answers.flatMap((a) => [a.targetSeconds.buffer, a.targetMetres.buffer, a.targetStart.buffer] as ArrayBuffer[]),
    );
  } catch (error) {
    parentPort!.postMessage({ job, error: String(error instanceof Error ? error.stack : error) });
  }
});
