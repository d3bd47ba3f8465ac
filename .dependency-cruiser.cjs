/**
 * The house's dependency rules (docs/architecture.md), run by ./scripts/test:
 *   npx depcruise server web/src data scripts migrations test
 * Circles between folders: .dependency-cruiser.folders.cjs.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "http-knows-no-capability",
      comment: "server/http/ is the toolkit every capability uses (problems, parsing, ids, versions, health): it imports only itself and the database handle",
      severity: "error",
      from: { path: "^server/http/" },
      to: { path: "^server/", pathNot: "^server/(http/|db\\.ts$)" },
    },
    {
      name: "layers-import-nothing-above",
      comment: "the layer registry is the spine every capability reads: it reads nothing else of the server but the leaf http/ toolkit (a 404 for a layer no one declared)",
      severity: "error",
      from: { path: "^server/layers/" },
      to: { path: "^server/", pathNot: "^server/(layers|http)/" },
    },
    {
      name: "questions-import-no-routes-or-formats",
      comment: "a question answers in data; routes and export formats are built on questions, never under them (the questions' own routes are their HTTP face: they may hand answers to a format)",
      severity: "error",
      from: { path: "^server/questions/", pathNot: "^server/questions/routes\\.ts$" },
      to: { path: "^server/((?!questions/)[^/]+/routes\\.ts$|formats/)" },
    },
    {
      name: "server-imports-no-migration",
      comment: "runtime code owns its constants; server/migrate.ts runs the migrations (through migrations/index.ts), the one allowed edge",
      severity: "error",
      from: { path: "^server/", pathNot: "^server/migrate\\.ts$" },
      to: { path: "^migrations/" },
    },
    {
      name: "migrations-only-through-their-index",
      comment: "nothing imports a migration file (tests use the runtime constants too); only the list, migrations/index.ts",
      severity: "error",
      from: { pathNot: "^migrations/" },
      to: { path: "^migrations/", pathNot: "^migrations/index\\.ts$" },
    },
    {
      name: "migrations-import-no-runtime-code",
      comment: "a landed migration is a frozen record: it keeps its own literal copy of what it needs",
      severity: "error",
      from: { path: "^migrations/" },
      to: { path: "^(server|web|data|scripts|test)/" },
    },
    {
      name: "web-imports-only-types-from-server",
      comment: "the web app shares the server's types (import type), never its code",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular",
      comment: "no module reaches itself through its imports",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // see `import type` too: web/ may import only those from server/
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
