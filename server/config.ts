import { z } from "zod";

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5433/hazmap"),
  /** Upper bound of database connections this process holds. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Milliseconds a single SQL statement may run before PostgreSQL cancels it. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});

export type Config = Readonly<z.infer<typeof Env>>;

/** Parse the environment once; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.freeze(Env.parse(env));
}
