import { z } from "zod";
import { DEFAULT_ROAD_SETTINGS } from "./roads/settings.ts";

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /**
   * The absolute URL people and programs reach the product at (e.g. https://gis.example.gov.cn), used
   * for every absolute link served (OGC next/self, TileJSON, the map style). Unset: the address the
   * server listens on. Never taken from a request's Host header, which any client can set.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .refine((u) => !/[?#]/.test(u), "must have no query or fragment")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  /**
   * Server processes sharing the port (node:cluster). Each holds its own pool, token cache and change
   * feed; everything they must agree on (sessions, tokens, lockouts, tiles, changes) is in PostgreSQL.
   */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** The server's connection: the application role's login (docs/database_roles.md), never a superuser's. */
  DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5433/hazmap"),
  /** Migrations' and admin commands' connection: a superuser's or a member of hazmap_owner. Unset: DATABASE_URL. */
  DATABASE_OWNER_URL: z.string().url().optional(),
  /**
   * Hot standbys fed by streaming replication from DATABASE_URL, comma-separated: questions, tiles, OGC
   * pages, lists and exports read from a healthy one (docs/scaling.md). Empty: every read from the primary.
   */
  DATABASE_READ_URLS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url())),
  /** Milliseconds a replica may be behind the primary and still serve reads; farther behind it is skipped until it catches up. */
  READ_MAX_LAG_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Upper bound of database connections this process holds. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Milliseconds a single SQL statement may run before PostgreSQL cancels it. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Metres beyond which "the nearest" usable resource of a village (village-risk) is reported as null, beyond reach. */
  NEAREST_REACH_M: z.coerce.number().positive().max(20_000_000).default(200_000),
  /** Geodesic metres within which a point joins the nearest usable road; farther, it is not reachable by road (answers by road say so). */
  ROAD_REACH_M: z.coerce.number().positive().max(100_000).default(DEFAULT_ROAD_SETTINGS.reachM),
  /** km/h of the leg between a point and the road it joins (on foot, or a vehicle off road). */
  OFF_ROAD_KMH: z.coerce.number().positive().max(100).default(DEFAULT_ROAD_SETTINGS.offRoadKmh),
  /** Milliseconds a client may send and read nothing before it is cut off (a stalled import or download holds a database connection). */
  CLIENT_STALL_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Layers, tiles, OGC and questions readable without signing in: on in the demo, off by default. */
  ANONYMOUS_READ: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Express "trust proxy" behind a reverse proxy (e.g. `loopback`, or its address): whose X-Forwarded-For gives the client's address. Unset: none. */
  TRUST_PROXY: z.string().optional(),
  /** `production` refuses to start without a strong admin password (HAZMAP_ADMIN_PASSWORD). */
  HAZMAP_ENV: z.enum(["development", "production"]).default("development"),
  /** Production only: the password of the `admin` account, set at every start. */
  HAZMAP_ADMIN_PASSWORD: z.string().optional(),
});

export type Config = Readonly<z.infer<typeof Env>>;

/** Parse the environment once; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.freeze(Env.parse(env));
}
