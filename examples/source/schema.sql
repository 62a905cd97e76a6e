-- The source tables cdds-operator exports from (see docs/source-schema.md). Every column an export
-- filters on is indexed: the window column of each table, and media or entity type with it.

CREATE TABLE IF NOT EXISTS contacts (
  id          bigint PRIMARY KEY,
  first_name  text,
  last_name   text,
  emails      text[] NOT NULL DEFAULT '{}',
  phones      text[] NOT NULL DEFAULT '{}',
  tenant_id   integer NOT NULL,
  created_at  timestamptz NOT NULL,
  modified_at timestamptz NOT NULL,
  attributes  jsonb
);
CREATE INDEX IF NOT EXISTS contacts_modified_at ON contacts (modified_at, id);

CREATE TABLE IF NOT EXISTS interactions (
  id          bigint PRIMARY KEY,
  contact_id  bigint REFERENCES contacts (id),
  media_type  text NOT NULL,
  direction   text NOT NULL,
  status      text NOT NULL,
  subject     text,
  queue       text,
  agent_id    text,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  tenant_id   integer NOT NULL,
  attributes  jsonb
);
CREATE INDEX IF NOT EXISTS interactions_started_at ON interactions (started_at, id);
CREATE INDEX IF NOT EXISTS interactions_media_started_at ON interactions (media_type, started_at);

CREATE TABLE IF NOT EXISTS attachments (
  id             bigint PRIMARY KEY,
  interaction_id bigint NOT NULL REFERENCES interactions (id),
  file_name      text NOT NULL,
  mime_type      text NOT NULL,
  size           bigint NOT NULL,
  content        bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_interaction ON attachments (interaction_id);

CREATE TABLE IF NOT EXISTS events (
  id           bigint PRIMARY KEY,
  entity_type  text NOT NULL,
  event_type   text NOT NULL,
  work_item_id text,
  occurred_at  timestamptz NOT NULL,
  payload      jsonb
);
CREATE INDEX IF NOT EXISTS events_occurred_at ON events (occurred_at, id);
CREATE INDEX IF NOT EXISTS events_entity_occurred_at ON events (entity_type, occurred_at);
