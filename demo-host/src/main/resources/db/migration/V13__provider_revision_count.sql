-- How many revision files each storage provider holds, kept with the revision that adds one (in its transaction),
-- so reading a provider on every upload and download, and the Storage page, never counts the revisions table.
ALTER TABLE storage_providers ADD COLUMN revision_count BIGINT DEFAULT 0 NOT NULL;
UPDATE storage_providers SET revision_count = (SELECT COUNT(*) FROM revisions r WHERE r.provider_id = storage_providers.id);
