-- A changeset the gate stops: a 32-bit id, a timestamp the database
-- generates, and a statement on a table that does not exist.
ALTER TABLE listings ADD COLUMN owner_id INT NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE favorites ADD COLUMN note TEXT;
