export * from './types';
export {
  startSimulator,
  DEFAULT_API_KEY,
  LIST_PATH,
  AGENTS_PATH,
  FOLDERS_PATH,
  PRICING_PATH,
  CALLS_PATH,
  HTML_502_BODY,
} from './server';
export { generatePortfolio, generateAgents, DEFAULT_AGENT_COUNT } from './portfolio';
export { generateCallHistory, CALLS_MAX_LIMIT, type CallHistoryOptions } from './calls';
