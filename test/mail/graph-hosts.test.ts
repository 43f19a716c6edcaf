import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createMailTransport } from "../../src/mail/bridge.js";
import { graphHosts } from "../../src/mail/graph-hosts.js";

describe("graphHosts", () => {
  it("follows MICROSOFT_CLOUD: public, GCC High (usgov) and DoD (usgov-dod)", () => {
    expect(graphHosts("public")).toEqual({ api: "https://graph.microsoft.com", login: "https://login.microsoftonline.com" });
    expect(graphHosts("usgov")).toEqual({ api: "https://graph.microsoft.us", login: "https://login.microsoftonline.us" });
    expect(graphHosts("usgov-dod")).toEqual({ api: "https://dod-graph.microsoft.us", login: "https://login.microsoftonline.us" });
  });

  it("takes GRAPH_API_URL and GRAPH_LOGIN_URL over the cloud's hosts, without a trailing slash", () => {
    expect(graphHosts("usgov", { apiUrl: "https://graph.example.mil/", loginUrl: "https://login.example.mil" })).toEqual({
      api: "https://graph.example.mil",
      login: "https://login.example.mil",
    });
    expect(graphHosts("usgov-dod", { loginUrl: "https://login.example.mil/" })).toEqual({
      api: "https://dod-graph.microsoft.us",
      login: "https://login.example.mil",
    });
  });
});

describe("MAIL_TRANSPORT=graph in the configuration", () => {
  const env = {
    MAIL_TRANSPORT: "graph",
    MAIL_ADDRESS: "dsmc-i@dau.example.edu",
    GRAPH_TENANT_ID: "tenant",
    GRAPH_CLIENT_ID: "client",
    GRAPH_CLIENT_SECRET: "secret",
    MICROSOFT_CLOUD: "usgov",
  };
  const settings = { get: async () => undefined, set: async () => {} };

  it("starts a Graph transport (no longer refused)", () => {
    expect(createMailTransport(loadConfig(env), settings).name).toBe("graph");
  });

  it("names the first Graph variable missing", () => {
    expect(() => loadConfig({ ...env, GRAPH_CLIENT_SECRET: "" })).toThrow(
      "Configuration error: GRAPH_CLIENT_SECRET is required with MAIL_TRANSPORT=graph",
    );
    expect(() => loadConfig({ ...env, GRAPH_API_URL: "http://graph.example.mil" })).toThrow(
      "Configuration error: GRAPH_API_URL must be an https URL",
    );
  });
});
