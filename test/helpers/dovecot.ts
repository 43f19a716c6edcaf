import { type ChildProcess, spawn } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";

/**
 * A real Dovecot IMAP server (Debian's dovecot-imapd, installed by .ci/run) on a free
 * loopback port: its own config file, one passwd-file user, a Maildir in a temp folder.
 * Nothing of the system's Dovecot config is read; everything it writes is in the folder.
 */
export interface DovecotServer {
  port: number;
  user: string;
  password: string;
  /** `imap://user:password@127.0.0.1:port` as IMAP_URL takes it. */
  url: string;
  /** Delivers a raw message into the INBOX with IMAP APPEND, as a mail server would. */
  deliver(raw: string): Promise<void>;
  /** The INBOX's messages: uid and whether they are \Seen. */
  inbox(): Promise<Array<{ uid: number; seen: boolean; messageId: string }>>;
  /** Stops the server (the mailbox stays) and starts it again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** True when an IMAP greeting ("* OK") arrives on the port. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", (chunk) => {
      socket.destroy();
      resolve(String(chunk).startsWith("* OK"));
    });
    socket.once("error", () => resolve(false));
  });
}

/** Waits until the port accepts connections (Dovecot forks its listener after start). */
async function waitForGreeting(port: number, log: () => Promise<string>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await greets(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Dovecot did not start on port ${port}:\n${await log()}`);
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile("/etc/passwd", "utf8")).split("\n").find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) throw new Error(`no system user ${name}: is dovecot-imapd installed (.ci/run installs it)?`);
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startDovecot(): Promise<DovecotServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "ma-dovecot-"));
  const port = await freePort();
  const user = "missionassist";
  const password = "mailbox-secret";
  const me = userInfo();
  // As root, Dovecot will not run mail processes as root: its own `dovecot` user (made by
  // the Debian package) owns the Maildir. As anyone else, everything runs as that person.
  const root = me.uid === 0;
  const owner = root ? await systemUser("dovecot") : { uid: me.uid, gid: me.gid };
  const loginUser = root ? undefined : me.username;
  await mkdir(path.join(dir, "mail"), { recursive: true });
  await mkdir(path.join(dir, "run"), { recursive: true });
  await chmod(dir, 0o755);
  await chown(path.join(dir, "mail"), owner.uid, owner.gid);
  await writeFile(path.join(dir, "users"), `${user}:{PLAIN}${password}:${owner.uid}:${owner.gid}::${dir}/mail/${user}::\n`);
  const config = path.join(dir, "dovecot.conf");
  await writeFile(
    config,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      `protocols = imap`,
      `listen = 127.0.0.1`,
      `ssl = no`,
      `disable_plaintext_auth = no`,
      `auth_mechanisms = plain login`,
      `first_valid_uid = 1`,
      ...(loginUser ? [`default_login_user = ${loginUser}`, `default_internal_user = ${loginUser}`] : []),
      `mail_location = maildir:~/Maildir`,
      // An IDLE client hears of new mail within a second (inotify may be unavailable in a sandbox).
      `mailbox_idle_check_interval = 1 secs`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
      `userdb {\n  driver = passwd-file\n  args = username_format=%u ${dir}/users\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      `service anvil {\n  chroot =\n}`,
      `service imap-login {\n  chroot =\n}`,
      "",
    ].join("\n"),
  );
  const log = () => readFile(path.join(dir, "dovecot.log"), "utf8").catch(() => "(no log)");
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("/usr/sbin/dovecot", ["-F", "-c", config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<never>((_, reject) =>
      child?.once("exit", (code) => reject(new Error(`Dovecot exited (${code}): ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForGreeting(port, async () => `${stderr}\n${await log()}`), exited]);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    await exited;
  };
  await start();

  const session = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: password }, logger: false });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  return {
    port,
    user,
    password,
    url: `imap://${user}:${password}@127.0.0.1:${port}`,
    deliver: (raw) =>
      session(async (client) => {
        await client.append("INBOX", raw);
      }),
    inbox: () =>
      session(async (client) => {
        const lock = await client.getMailboxLock("INBOX");
        try {
          const found: Array<{ uid: number; seen: boolean; messageId: string }> = [];
          if (client.mailbox && client.mailbox.exists === 0) return found;
          for await (const message of client.fetch("1:*", { uid: true, flags: true, envelope: true })) {
            found.push({ uid: message.uid, seen: message.flags?.has("\\Seen") ?? false, messageId: message.envelope?.messageId ?? "" });
          }
          return found;
        } finally {
          lock.release();
        }
      }),
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
