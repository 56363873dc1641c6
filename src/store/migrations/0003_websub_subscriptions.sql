-- WebSub (W3C Recommendation, 2018) subscriptions of the built-in hub: one per callback and
-- topic (§5.1: a new request for the pair replaces the old one). `expires` is epoch ms;
-- `delivered_etag` is the ETag of the topic's document last delivered, so a change that leaves
-- the bytes as they were is not sent again, and a restart does not resend.
CREATE TABLE websub_subscriptions (
  callback TEXT NOT NULL,
  topic TEXT NOT NULL,
  secret TEXT,
  lease_seconds INTEGER NOT NULL,
  expires BIGINT NOT NULL,
  delivered_etag TEXT,
  PRIMARY KEY (callback, topic)
);
CREATE INDEX websub_subscriptions_expires ON websub_subscriptions (expires);
