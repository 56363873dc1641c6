import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What `GET /metrics` reports, in Prometheus text: requests by route and status, refresh
 * durations, live feed outcomes, articles stored and store errors. One registry per process
 * (not prom-client's global one), so tests can run several servers side by side.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'feedrelay_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'] as const, registers: [this.registry] });
  readonly refreshSeconds = new Histogram({ name: 'feedrelay_refresh_duration_seconds', help: 'Duration of a refresh (archive scan and live feeds)', buckets: [0.1, 0.5, 1, 5, 15, 60, 300], registers: [this.registry] });
  readonly feedOutcomes = new Counter({ name: 'feedrelay_feed_refresh_total', help: 'Live feed refreshes, by source and outcome', labelNames: ['source', 'outcome'] as const, registers: [this.registry] });
  readonly articlesAdded = new Counter({ name: 'feedrelay_articles_added_total', help: 'Articles stored by this process', registers: [this.registry] });
  readonly storeErrors = new Counter({ name: 'feedrelay_store_errors_total', help: 'Store operations that failed', registers: [this.registry] });

  constructor(articles: () => Promise<number>) {
    new Gauge({
      name: 'feedrelay_articles',
      help: 'Articles in the store',
      registers: [this.registry],
      async collect() {
        this.set(await articles());
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
