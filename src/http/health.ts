import { Router } from "express";
import type { Database } from "../db/client.js";
import { checkReadiness } from "../db/readiness.js";
import type { PlatformHealth } from "../platform-health.js";

/**
 * `GET /healthz` (process alive) and `GET /readyz` (database reachable and migrated). The
 * readiness body also says how each chat platform is doing, without changing the status:
 * a Slack outage must not take the bot out of its load balancer.
 */
export function healthRoutes(database: Database, health?: PlatformHealth): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const readiness = await checkReadiness(database);
    const platforms = health?.snapshot();
    if (readiness.ready) res.json({ status: "ready", platforms });
    else res.status(503).json({ status: "unavailable", reason: readiness.reason, platforms });
  });
  return router;
}
