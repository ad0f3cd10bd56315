export * from './types';
export {
  startSimulator,
  DEFAULT_API_KEY,
  LIST_PATH,
  AGENTS_PATH,
  FOLDERS_PATH,
  PRICING_PATH,
  HTML_502_BODY,
} from './server';
export { generatePortfolio, generateAgents, DEFAULT_AGENT_COUNT } from './portfolio';
