// Kept for existing imports; the default lives with its setting in lambda/settings.
import { SETTINGS } from '../settings';

export const DEFAULT_BASE_URL = SETTINGS.baseUrl.default;
