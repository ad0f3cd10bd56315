// Defaults shared by every surface that reaches DialNexa (the Lambda's env, the CLI's flags).

export const DEFAULT_BASE_URL = 'https://api.dialnexa.com';
