/** The public SSL Labs API, version 4 (which needs a registered email). */
export const DEFAULT_SSLLABS_API_URL = 'https://api.ssllabs.com/api/v4/';
