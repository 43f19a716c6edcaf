import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { type ParsedMail, simpleParser } from "mailparser";

/**
 * A self-signed certificate for 127.0.0.1, made with openssl: MSAL wants an https authority,
 * and the child process trusts it through NODE_EXTRA_CA_CERTS (read at its start).
 */
function loopbackCertificate(): { folder: string; cert: string; key: string; certFile: string } {
  const folder = mkdtempSync(path.join(tmpdir(), "ma-graph-tls-"));
  const [keyFile, certFile] = [path.join(folder, "key.pem"), path.join(folder, "cert.pem")];
  const request = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1";
  execFileSync("openssl", [...request.split(" "), "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
  return { folder, cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile };
}

/** A message in the stand-in mailbox; `changed` orders it in delta rounds. */
interface StoredMessage {
  id: string;
  raw: string;
  isRead: boolean;
  removed: boolean;
  receivedDateTime: string;
  changed: number;
}

/** What the stand-in received: every call (path with query, whether it carried a bearer token) and its status. */
export interface GraphCall {
  method: string;
  url: string;
  status: number;
}

/** An access token shaped like Entra's (header.payload.signature), with the roles the app was granted. */
export function fakeToken(roles: string[]): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "graph", roles })}.c2lnbmF0dXJl`;
}

/**
 * Microsoft Entra's token endpoint and the few Graph routes the mail transport uses, on
 * HTTPS loopback: OpenID metadata, client-credentials tokens, Inbox delta (two per page, so
 * rounds page through @odata.nextLink), $value, PATCH isRead, sendMail with MIME, the Inbox.
 */
export class GraphStandIn {
  readonly calls: GraphCall[] = [];
  readonly sent: Array<{ raw: string; parsed: ParsedMail }> = [];
  readonly messages: StoredMessage[] = [];
  /** The only secret the token endpoint accepts. */
  secret = "s3cret-value-never-printed";
  roles = ["Mail.ReadWrite", "Mail.Send"];
  /** Mailbox routes answer 403 (no application access policy for the app). */
  denied = false;
  /** Delta links handed out before this change counter answer 410 (syncStateNotFound). */
  expiredBefore = 0;
  /** The next call whose path matches answers 429 with this Retry-After. */
  throttle?: { match: RegExp; retryAfter: number };
  private clock = 0;
  private server?: Server;
  private tls = loopbackCertificate();
  port = 0;

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }
  /** For NODE_EXTRA_CA_CERTS. */
  get caFile(): string {
    return this.tls.certFile;
  }

  deliver(raw: string, options: { isRead?: boolean } = {}): string {
    const id = `AAMkAD${this.messages.length + 1}-x=`;
    this.messages.push({
      id,
      raw,
      isRead: options.isRead ?? false,
      removed: false,
      receivedDateTime: new Date(Date.now() + this.messages.length).toISOString(),
      changed: ++this.clock,
    });
    return id;
  }
  /** A person marks a message read or unread in Outlook, or deletes it: a change in the next delta round. */
  change(id: string, change: { isRead?: boolean; removed?: boolean }): void {
    const message = this.messages.find((candidate) => candidate.id === id);
    if (!message) throw new Error(`no message ${id}`);
    Object.assign(message, change, { changed: ++this.clock });
  }
  /** Every delta link handed out so far expires. */
  expireDeltaLinks(): void {
    this.expiredBefore = this.clock + 1;
  }

  async start(): Promise<this> {
    const app = express();
    app.use((request, response, next) => {
      response.on("finish", () => this.calls.push({ method: request.method, url: request.originalUrl, status: response.statusCode }));
      const throttle = this.throttle;
      if (throttle?.match.test(`${request.method} ${request.path}`)) {
        this.throttle = undefined;
        response.set("Retry-After", String(throttle.retryAfter));
        response.status(429).json({ error: { code: "TooManyRequests", message: "Please retry again later." } });
        return;
      }
      next();
    });
    this.entraRoutes(app);
    app.use("/v1.0", (request, response, next) => {
      if (!/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(request.get("authorization") ?? "")) {
        response.status(401).json({ error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } });
      } else if (this.denied) {
        response.status(403).json({ error: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." } });
      } else next();
    });
    this.mailRoutes(app);
    this.server = createServer({ key: this.tls.key, cert: this.tls.cert }, app);
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this;
  }

  private entraRoutes(app: express.Express): void {
    app.get("/:tenant/v2.0/.well-known/openid-configuration", (request, response) => {
      const base = `${this.url}/${request.params.tenant}`;
      response.json({
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      });
    });
    app.post("/:tenant/oauth2/v2.0/token", express.urlencoded({ extended: false }), (request, response) => {
      const body = request.body as Record<string, string>;
      if (body.grant_type !== "client_credentials" || body.scope !== `${this.url}/.default`) {
        response.status(400).json({ error: "invalid_request", error_description: "AADSTS900144: bad request." });
      } else if (body.client_secret !== this.secret) {
        response.status(401).json({
          error: "invalid_client",
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${body.client_id}'. Trace ID: 1`,
          error_codes: [7000215],
        });
      } else {
        response.json({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: fakeToken(this.roles) });
      }
    });
  }

  private mailRoutes(app: express.Express): void {
    app.get("/v1.0/users/:user/mailFolders/inbox/messages/delta", (request, response) => {
      // A round's pages carry $skiptoken=<start>.<offset> (never expire); its end $deltatoken=<change counter>.
      const skip = typeof request.query.$skiptoken === "string" ? request.query.$skiptoken.split(".").map(Number) : [];
      const since = skip[0] ?? Number(request.query.$deltatoken ?? 0);
      const offset = skip[1] ?? 0;
      if (request.query.$deltatoken !== undefined && since < this.expiredBefore) {
        response.status(410).json({ error: { code: "syncStateNotFound", message: "The sync state generation is not found." } });
        return;
      }
      const changed = this.messages.filter((message) => message.changed > since);
      const page = changed.slice(offset, offset + 2);
      const link = `${this.url}/v1.0/users/${encodeURIComponent(request.params.user)}/mailFolders/inbox/messages/delta`;
      response.json({
        value: page.map((message) =>
          message.removed
            ? { id: message.id, "@removed": { reason: "deleted" } }
            : { id: message.id, isRead: message.isRead, receivedDateTime: message.receivedDateTime },
        ),
        ...(offset + 2 < changed.length
          ? { "@odata.nextLink": `${link}?$skiptoken=${since}.${offset + 2}` }
          : { "@odata.deltaLink": `${link}?$deltatoken=${this.clock}` }),
      });
    });
    const find = (id: string) => this.messages.find((message) => message.id === id && !message.removed);
    app.get("/v1.0/users/:user/messages/:id/\\$value", (request, response) => {
      const message = find(request.params.id);
      if (!message) response.status(404).json({ error: { code: "ErrorItemNotFound", message: "Not found." } });
      else response.type("text/plain").send(message.raw);
    });
    app.patch("/v1.0/users/:user/messages/:id", express.json(), (request, response) => {
      const message = find(request.params.id);
      if (!message) return void response.status(404).json({ error: { code: "ErrorItemNotFound", message: "Not found." } });
      this.change(message.id, { isRead: (request.body as { isRead: boolean }).isRead });
      response.json({ id: message.id, isRead: message.isRead });
    });
    app.post("/v1.0/users/:user/sendMail", express.text({ type: "text/plain" }), async (request, response) => {
      const raw = Buffer.from(String(request.body), "base64").toString("utf8");
      this.sent.push({ raw, parsed: await simpleParser(raw) });
      response.status(202).end();
    });
    app.get("/v1.0/users/:user/mailFolders/inbox", (_request, response) => {
      const present = this.messages.filter((message) => !message.removed);
      response.json({ totalItemCount: present.length, unreadItemCount: present.filter((message) => !message.isRead).length });
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    rmSync(this.tls.folder, { recursive: true, force: true });
  }
}
