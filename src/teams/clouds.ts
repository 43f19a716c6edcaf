/** The Microsoft clouds a Teams bot can live in: public, or the US Government clouds of GCC High and DoD tenants. */
export type Cloud = "public" | "usgov" | "usgov-dod";

const GOVERNMENT_LOGIN = {
  host: "https://login.microsoftonline.us",
  tenant: "MicrosoftServices.onmicrosoft.us",
  audience: "https://api.botframework.us",
};

/**
 * Where each cloud's bots get their Bot Framework token (login host, and the tenant used
 * unless the app is single-tenant) and for which audience: what the adapter is configured
 * with and what the doctor asks.
 */
export const BOT_LOGIN: Readonly<Record<Cloud, { host: string; tenant: string; audience: string }>> = {
  public: { host: "https://login.microsoftonline.com", tenant: "botframework.com", audience: "https://api.botframework.com" },
  usgov: GOVERNMENT_LOGIN,
  "usgov-dod": GOVERNMENT_LOGIN,
};
