export { createDialNexaClient, type DialNexaClient, type DialNexaClientOptions } from './client';
export { PHONE_NUMBERS_PATH } from './listing';
export { DEFAULT_MAX_BODY_BYTES } from './http';
export { DEFAULT_EPOCH_RESET_MARGIN_MS, parseRateLimitReset, RateLimiter } from './rate-limit';
export { backoffDelay, isRetryableStatus, parseRetryAfter, type BackoffOptions } from './retry';
export { defaultSleep, type Sleep } from './run';
export { toNumberRecord, parsePageEnvelope, type AgentSummary, type PageEnvelope } from './schema';
