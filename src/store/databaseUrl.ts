/**
 * Database URLs as they are configured (`--database`, `DATABASE_URL`) and as they may be shown:
 * a password never reaches a log line, an error or `/status`.
 */

/** Whether `url` names a PostgreSQL database (the schemes libpq and node-postgres accept). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/**
 * `url` with the password in its user info (`postgres://user:secret@host`) replaced by `mask`
 * (dropped with its colon when `mask` is empty), and a `password=` parameter's value by `***`. Works on strings that do not
 * parse as a URL too, since those are the ones an error message must quote.
 */
export function maskPassword(url: string, mask = '***'): string {
  let out = url;
  const scheme = out.indexOf('://');
  if (scheme >= 0) {
    const rest = out.slice(scheme + 3);
    const end = rest.search(/[?#]/);
    const authorityAndPath = end >= 0 ? rest.slice(0, end) : rest;
    const at = authorityAndPath.lastIndexOf('@');
    if (at >= 0) {
      const userInfo = authorityAndPath.slice(0, at);
      const colon = userInfo.indexOf(':');
      if (colon >= 0) {
        const user = userInfo.slice(0, colon);
        const masked = mask === '' ? user : `${user}:${mask}`;
        out = `${out.slice(0, scheme + 3)}${masked}${rest.slice(at)}`;
      }
    }
  }
  return out.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** `url` without its password, for logs and errors: `postgres://user@host:5432/db`. */
export function withoutPassword(url: string): string {
  return maskPassword(url, '');
}
