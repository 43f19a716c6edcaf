import { Router } from "express";
import type { Database } from "../db/client.js";
import { checkReadiness } from "../db/readiness.js";

/** `GET /healthz` (process alive) and `GET /readyz` (database reachable and migrated). */
export function healthRoutes(database: Database): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const readiness = await checkReadiness(database);
    if (readiness.ready) res.json({ status: "ready" });
    else res.status(503).json({ status: "unavailable", reason: readiness.reason });
  });
  return router;
}
