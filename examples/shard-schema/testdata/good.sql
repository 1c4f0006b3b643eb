-- Give every listing its shop, keyed for "listings of a shop".
ALTER TABLE listings ADD COLUMN shop_id BIGINT UNSIGNED NOT NULL DEFAULT 0;
CREATE INDEX listings_shop ON listings (shop_id);
