/**
 * No circles between the server's folders (server/auth → server/features → server/auth), run by ./scripts/test:
 *   npx depcruise server --config .dependency-cruiser.folders.cjs
 * A folder counts every module beneath it, so only server/ itself is cruised, without the unit tests
 * beside the code: server/migrate.ts reading data/items.ts while data/demo-county/ loads through the
 * server, or a unit test using test/support/, would otherwise make every folder look circular.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular-folders",
      comment: "no folder reaches itself through its modules' imports",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: "^server/",
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
