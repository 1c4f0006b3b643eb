-- The current schema of the example shop, as portable DDL (SQLite and
-- MySQL both read it); the dry run loads it into an empty scratch database.
CREATE TABLE shops (shop_id BIGINT UNSIGNED NOT NULL, name VARCHAR(64) NOT NULL, PRIMARY KEY (shop_id));
CREATE TABLE listings (listing_id BIGINT UNSIGNED NOT NULL, title VARCHAR(140) NOT NULL, PRIMARY KEY (listing_id));
