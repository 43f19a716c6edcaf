/** A send that took longer than its limit: treated as transient, the message is retried. */
export class SendTimeoutError extends Error {
  readonly kind = "SEND_TIMEOUT";
  constructor() {
    super("send timed out");
    this.name = "SendTimeoutError";
  }
}

/** `work`, or SendTimeoutError once it has taken `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
