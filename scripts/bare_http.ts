// The floor any HTTP server has on this machine, for ./scripts/bench: node:http answering each request with
// the very SQL the product ran for it (captured by the bench, given as a JSON file of requestKey → statements)
// and nothing else: no framework, no sign-in, no validation, no work of the product's own. The product minus
// this is the product's own work; this minus the SQL alone is what HTTP itself costs here (another process,
// its wake-ups, the load generator).
// Usage: DATABASE_URL=… PORT=… node --import tsx scripts/bare_http.ts <answers.json>; says "serving on" when it listens.
import { createServer, type IncomingMessage } from "node:http";
import { readFileSync } from "node:fs";
import pg from "pg";
import { replay, type Statement } from "./captured_sql.ts";

const answers: Record<string, Statement[]> = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const server = createServer(async (req, res) => {
  const statements = answers[`${req.method} ${req.url} ${await bodyOf(req)}`];
  if (!statements) return void res.writeHead(404).end();
  const client = await pool.connect();
  try {
    const rows = await replay(client, statements);
    // each row's first value passed on as PostgreSQL wrote it, as the product passes its features on
    const text = `[${rows.map((r) => String(Object.values(r)[0])).join(",")}]`;
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
  } finally {
    client.release();
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log(`[bare] serving on http://127.0.0.1:${process.env.PORT}`));
process.on("SIGTERM", () => process.exit(0));
