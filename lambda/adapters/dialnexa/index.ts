export { createDialNexaClient, type DialNexaClient, type DialNexaClientOptions } from './client';
export { PHONE_NUMBERS_PATH } from './listing';
export { parseRateLimitReset, RateLimiter } from './rate-limit';
export { backoffDelay, isRetryableStatus, parseRetryAfter, type BackoffOptions } from './retry';
export { defaultSleep, type Sleep } from './run';
export { toNumberRecord, parsePageEnvelope, type AgentSummary, type PageEnvelope } from './schema';
