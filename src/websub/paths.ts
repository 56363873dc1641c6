/** Where the built-in hub takes subscription requests. */
export const WEBSUB_PATH = '/websub';
