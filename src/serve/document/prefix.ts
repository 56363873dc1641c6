/**
 * The path as our documents name it, from the path a request names. With a base URL that has a
 * path (`https://example.org/news`), a proxy that passes the prefix on is served the same
 * documents as one that strips it: `/news/feed.xml` and `/feed.xml` are the same feed.
 */
export function stripBasePath(baseUrl: string | undefined): (path: string) => string {
  const prefix = baseUrl ? new URL(baseUrl).pathname.replace(/\/+$/, '') : '';
  if (prefix === '') return (path) => path;
  return (path) => (path === prefix || path.startsWith(`${prefix}/`) ? path.slice(prefix.length) || '/' : path);
}
