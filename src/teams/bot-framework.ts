import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity, TurnContext } from "botbuilder";
import { BOT_LOGIN, type Cloud } from "./clouds.js";

export interface BotFrameworkOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  cloud: Cloud;
  /** Where Bot Framework signing keys are read (tests point it at loopback). */
  openIdMetadataUrl?: string;
}

type ConnectorClient = Awaited<ReturnType<ActivityAdapter["connectorClient"]>>;
type Authentication = ActivityAdapter["botFrameworkAuthentication"];
type UserTokenClient = Awaited<ReturnType<Authentication["createUserTokenClient"]>>;

/** Turn clients kept: one per service address Teams uses (a handful per cloud). */
const MAX_TURN_CLIENTS = 32;

/** The client made for `key`, made once by `make` and kept (at most MAX_TURN_CLIENTS; one that failed is made again). */
function keep<T>(kept: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let client = kept.get(key);
  if (!client) {
    if (kept.size >= MAX_TURN_CLIENTS) kept.delete(kept.keys().next().value as string);
    client = make();
    kept.set(key, client);
    client.catch(() => kept.delete(key));
  }
  return client;
}

/**
 * TeamsAdapter whose activity processing we call ourselves: CloudAdapter.process() logs
 * errors to the console and echoes their text in the HTTP body.
 */
export class ActivityAdapter extends TeamsAdapter {
  /** Each turn's Bot Connector client, by bot, service address and audience (see `handle`). */
  private readonly turnClients = new Map<string, Promise<ConnectorClient>>();
  /** Each turn's user token client (sign-in flows; the bot has none), by bot. */
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    // processActivity makes a UserTokenClient for every turn, a whole HTTP pipeline (about
    // a tenth of a card submit's CPU), though it depends only on the bot's credentials: one
    // per bot is kept, as the Bot Connector clients are. test/teams/inbound-client.test.ts
    // fails if botbuilder stops asking for it here.
    const auth = this.botFrameworkAuthentication;
    const make = auth.createUserTokenClient.bind(auth);
    auth.createUserTokenClient = (identity) => {
      const bot = identity.getClaimValue("aud") ?? identity.getClaimValue("appid");
      return keep(this.userTokenClients, JSON.stringify([bot]), () => make(identity));
    };
  }

  /**
   * Authenticates the request (a Bot Framework token, or none when the bot has no
   * credentials), then runs the turn as processActivity does with its header, with one
   * change: the turn's ConnectorClient, which processActivity makes afresh for every
   * request (credentials, the whole HTTP pipeline), is made once per bot, service address
   * and audience and kept, as src/teams/proactive.ts keeps its own.
   */
  async handle(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    const authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    const { claimsIdentity, connectorFactory } = authenticated;
    if (!connectorFactory) return this.processActivity(authenticated, activity, logic);
    // The bot the factory serves, as botbuilder reads it: the token's audience, else its appid.
    const bot = claimsIdentity.getClaimValue("aud") ?? claimsIdentity.getClaimValue("appid");
    const kept = {
      create: (serviceUrl: string, audience: string) =>
        keep(this.turnClients, JSON.stringify([bot, serviceUrl, audience]), () => connectorFactory.create(serviceUrl, audience)),
    };
    return this.processActivity({ ...authenticated, connectorFactory: kept as typeof connectorFactory }, activity, logic);
  }

  /**
   * A Bot Connector client for the bot `appId` at `serviceUrl`, made as continueConversationAsync
   * makes one for each call (the adapter's own connector factory, credentials and options);
   * src/teams/proactive.ts keeps it.
   */
  connectorClient(appId: string, serviceUrl: string) {
    return this.botFrameworkAuthentication.createConnectorFactory(this.createClaimsIdentity(appId)).create(serviceUrl, undefined);
  }
}

/** Bot Framework endpoints per cloud; GCC High and DoD tenants use the US Government cloud. */
function cloudSettings(cloud: BotFrameworkOptions["cloud"]): Record<string, string> {
  if (cloud === "public") return {};
  const government = {
    ChannelService: "https://botframework.azure.us",
    ToChannelFromBotLoginUrl: `${BOT_LOGIN[cloud].host}/${BOT_LOGIN[cloud].tenant}`,
    ToChannelFromBotOAuthScope: BOT_LOGIN[cloud].audience,
    ToBotFromChannelTokenIssuer: "https://api.botframework.us",
    OAuthUrl: "https://api.botframework.azure.us",
    ToBotFromChannelOpenIdMetadataUrl: "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
    ToBotFromEmulatorOpenIdMetadataUrl:
      "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration",
  };
  return cloud === "usgov-dod" ? { ...government, OAuthUrl: "https://apiDoD.botframework.azure.us" } : government;
}

export function createActivityAdapter(options: BotFrameworkOptions): ActivityAdapter {
  return new ActivityAdapter({
    MicrosoftAppId: options.appId ?? "",
    MicrosoftAppPassword: options.appPassword ?? "",
    MicrosoftAppTenantId: options.tenantId ?? "",
    MicrosoftAppType: options.appType ?? (options.tenantId ? "SingleTenant" : "MultiTenant"),
    ...cloudSettings(options.cloud),
    ...(options.openIdMetadataUrl
      ? { ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl }
      : {}),
  });
}
