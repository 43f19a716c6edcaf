import type { Config } from "./config.js";
import type { Clock } from "./core/clock.js";
import { createRateLimits, type RateLimits } from "./core/limits/rate-limits.js";
import type { ServiceLevels } from "./core/service-levels/policy.js";
import { serviceSettings } from "./reminders/holidays.js";

/** The per-person rate limits configured, as the core applies them. */
export function rateLimitsOf(config: Config, clock: Clock): RateLimits {
  const policy = {
    requestsPerHour: config.MA_REQUESTS_PER_HOUR,
    commandsPerMinute: config.MA_COMMANDS_PER_MINUTE,
    contactEmail: config.MA_CONTACT_EMAIL,
  };
  return createRateLimits(policy, clock);
}

/** The service levels configured, as the core counts them. */
export function serviceLevelsOf(config: Config): ServiceLevels {
  return {
    triageDays: config.TRIAGE_SLA_DAYS,
    answerDays: config.ANSWER_SLA_DAYS,
    scheduleDays: config.SCHEDULE_SLA_DAYS,
    reopenWindowDays: config.REOPEN_WINDOW_DAYS,
  };
}

/** The settings the core takes from configuration: working days, service levels, limits, the survey's delay. */
export function coreSettingsOf(config: Config, clock: Clock) {
  return {
    ...serviceSettings(serviceLevelsOf(config)),
    limits: rateLimitsOf(config, clock),
    surveyDelayDays: config.SURVEY_DELAY_DAYS,
    cloud: config.MICROSOFT_CLOUD,
  };
}
