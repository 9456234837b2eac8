-- Per-workspace settings of the person using this laptop (notification preferences…),
-- one JSON value per key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
