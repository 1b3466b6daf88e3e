/** Reported by `GET /health`; kept in step with package.json by the version test. */
export const HUB_VERSION = '0.1.0';
