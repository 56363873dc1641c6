/**
 * Every error the project raises on purpose. The stage prefix in `name` says where it came from;
 * `httpStatus` in src/serve/errors.ts is the one place that maps them to HTTP.
 */
export class FeedrelayError extends Error {
  override name = 'FeedrelayError';
}

/** Bad command-line flag or environment variable. */
export class ConfigError extends FeedrelayError {
  override name = 'ConfigError';
}

/** A seed or stored file that cannot be read as an article. */
export class SeedParseError extends FeedrelayError {
  override name = 'SeedParseError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A `feeds/*.json` source definition that is unusable. */
export class SourceDefinitionError extends FeedrelayError {
  override name = 'SourceDefinitionError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A string that is not an absolute http(s) URL where one is required. */
export class UrlError extends FeedrelayError {
  override name = 'UrlError';
}

/** A request parameter that is out of range or malformed. */
export class RequestParameterError extends FeedrelayError {
  override name = 'RequestParameterError';
}

/**
 * A live feed that could not be fetched: network failure, timeout, size cap, redirects or an
 * error status. `httpStatus` is the upstream's, never ours; `retryAfter` is its raw header.
 */
export class FetchError extends FeedrelayError {
  override name = 'FetchError';
  constructor(
    readonly url: string,
    reason: string,
    readonly httpStatus?: number,
    readonly retryAfter?: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** A fetched feed body that is not well-formed RSS 2.0, RSS 1.0 (RDF) or Atom. */
export class FeedParseError extends FeedrelayError {
  override name = 'FeedParseError';
  constructor(
    readonly feed: string,
    reason: string,
  ) {
    super(`${feed}: ${reason}`);
  }
}

/** A request for a document that does not exist, such as an archive page past the newest. */
export class RequestNotFoundError extends FeedrelayError {
  override name = 'RequestNotFoundError';
}

/** An article page that could not be fetched or gave no usable article body (full text, issue #6). */
export class FullTextError extends FeedrelayError {
  override name = 'FullTextError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** The database could not be opened, migrated, read or written. */
export class StoreError extends FeedrelayError {
  override name = 'StoreError';
}

/** A document that could not be rendered, such as a script conversion whose worker failed. */
export class RenderError extends FeedrelayError {
  override name = 'RenderError';
}

/** A WebSub request the hub refuses: a bad parameter or a callback it will not call. */
export class WebSubError extends RequestParameterError {
  override name = 'WebSubError';
}

/** The hub has as many verifications under way as it takes; the subscriber should retry later. */
export class WebSubBusyError extends FeedrelayError {
  override name = 'WebSubBusyError';
}
