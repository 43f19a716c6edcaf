import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("HTTP server on $name", (kind) => {
  let db: TestDatabase;
  let app: RunningApp;
  let base: string;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: "slack:UADMIN1" }), createLogger("silent"));
    base = `http://127.0.0.1:${app.port}`;
  });
  afterAll(async () => {
    await app.close();
    await db.dispose();
  });

  it("answers /healthz with ok", async () => {
    const response = await fetch(`${base}/healthz`);
    expect([response.status, await response.json()]).toEqual([200, { status: "ok" }]);
  });

  it("migrates on start, so /readyz is 200, and 503 with a reason once a migration is missing", async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    await app.database.prisma.$executeRawUnsafe(`DELETE FROM "_prisma_migrations"`);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { reason: string }).reason).toMatch(/pending migrations/);
  });

  it("grants admin to ADMIN_USERS at start", async () => {
    const grants = await app.repositories.people.listGrants();
    expect(grants.map((grant) => [grant.identityKeys, grant.role])).toContainEqual([["slack:UADMIN1"], { role: "admin" }]);
  });

  it("loads the Bandaria demo cases only on SQLite", async () => {
    const demo = await app.database.prisma.case.findMany({ where: { id: { startsWith: "BN-" } } });
    expect(demo.length > 0).toBe(kind.name === "sqlite");
  });
});
