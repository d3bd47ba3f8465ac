import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface HttpRequest {
  path: string;
  body?: unknown;
}
export interface WrkResult {
  requests: number;
  p50: number;
  p99: number;
  rps: number;
}

/**
 * Drives the server with wrk (a load generator in C, Debian `wrk`): on two shared cores a JavaScript
 * client spends as much CPU per request as the server does, and would be measured instead of it.
 * Cycles through `requests` on `connections` keep-alive connections for `seconds`; times in ms.
 * Throws when any answer is not 2xx/3xx or any request fails.
 */
export async function wrk(base: string, requests: HttpRequest[], connections: number, seconds: number): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "hazmap-wrk-"));
  try {
    // one request a line: method, path, body (JSON text has no raw tabs or newlines)
    writeFileSync(
      join(dir, "requests.tsv"),
      requests.map((r) => [r.body === undefined ? "GET" : "POST", r.path, r.body === undefined ? "" : JSON.stringify(r.body)].join("\t")).join("\n") + "\n",
    );
    writeFileSync(
      join(dir, "cycle.lua"),
      `
local list, i = {}, 0
for line in io.lines("${join(dir, "requests.tsv")}") do
  local method, path, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t(.*)$")
  table.insert(list, { method = method, path = path, body = body ~= "" and body or nil })
end
request = function()
  i = i + 1
  local r = list[(i - 1) % #list + 1]
  return wrk.format(r.method, r.path, r.body and { ["Content-Type"] = "application/json" } or {}, r.body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`,
    );
    const { stdout } = await promisify(execFile)("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "120s", "-s", join(dir, "cycle.lua"), base]);
    const [requestsDone, durationUs, p50Us, p99Us, errors] = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout)!.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (errors > 0) throw new Error(`wrk: ${errors} of ${requestsDone} requests failed or were answered 4xx/5xx (first: ${requests[0]!.path})`);
    return { requests: requestsDone, p50: p50Us / 1000, p99: p99Us / 1000, rps: requestsDone / (durationUs / 1e6) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
