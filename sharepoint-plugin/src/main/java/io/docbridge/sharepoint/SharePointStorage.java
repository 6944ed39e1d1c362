package io.docbridge.sharepoint;

import com.microsoft.graph.models.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import io.docbridge.graph.DriveClient;
import io.docbridge.graph.OfficeFiles;
import io.docbridge.graph.UploadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Revision files in a SharePoint document library. A file goes to the folder its layout names (created as needed)
 * through an upload session that refuses to overwrite, so a stored revision is never replaced. The key is
 * {@code libraryId/itemId}: the item's id survives renames and moves in SharePoint, and the library's id keeps
 * revisions readable after an administrator points the provider at another library. Keys saved before the library
 * was part of them are bare item ids in {@code keysLibrary}. Thread-safe.
 */
final class SharePointStorage implements StorageProvider {
    private static final Logger log = LoggerFactory.getLogger(SharePointStorage.class);
    static final String VERIFY_FOLDER = "Docbridge verification";

    private final DriveClient drives;
    private final String driveId;
    private final String bareKeysDriveId;
    private final FolderLayout layout;
    private final List<String> root;
    private final Clock clock;
    private final AtomicReference<Health> lastKnown;

    SharePointStorage(DriveClient drives, String driveId, String bareKeysDriveId, FolderLayout layout, List<String> root,
                      Clock clock) {
        this.drives = drives;
        this.driveId = driveId;
        this.bareKeysDriveId = bareKeysDriveId;
        this.layout = layout;
        this.root = List.copyOf(root);
        this.clock = clock;
        this.lastKnown = new AtomicReference<>(new Health(Health.Status.UNKNOWN, "Not verified yet", clock.instant()));
    }

    @Override
    public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
        List<String> segments = layout.place(path, root);
        return remember(() -> {
            DriveItem folder = drives.ensureFolders(driveId, segments.subList(0, segments.size() - 1));
            String name = segments.get(segments.size() - 1);
            UploadResult result = drives.upload(driveId, folder.getId(), name, content, size, "fail",
                    modified(metadata));
            if (!result.hashMatches() && !OfficeFiles.rewrittenBySharePoint(name)) {
                // The service stored different bytes than we sent: keep nothing we cannot vouch for.
                drives.delete(driveId, result.item().getId());
                throw new PluginException(ErrorKind.UNAVAILABLE, "SharePoint stored different bytes than were sent "
                        + "(the checksums differ), so the upload was discarded. Try again.");
            }
            return new StoredObject(key(result.item().getId()), result.item().getSize(),
                    result.item().getWebUrl() == null ? String.join("/", segments) : result.item().getWebUrl());
        });
    }

    /** The file's own modified time the host passed, if it is one; a malformed value is ignored, not fatal. */
    private static java.time.Instant modified(Map<String, String> metadata) {
        try {
            return metadata.containsKey(MODIFIED) ? java.time.Instant.parse(metadata.get(MODIFIED)) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public Optional<String> keyAt(ObjectPath path) {
        List<String> segments = layout.place(path, root);
        return remember(() -> drives.itemAt(driveId, segments).filter(item -> item.getFile() != null)
                .map(item -> key(item.getId())));
    }

    @Override
    public InputStream open(String key) {
        Stored stored = stored(key);
        return remember(() -> drives.download(stored.driveId(), stored.itemId()));
    }

    @Override
    public void delete(String key) {
        try {
            Stored stored = stored(key);
            remember(() -> {
                drives.delete(stored.driveId(), stored.itemId());
                return null;
            });
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public Health verify() {
        byte[] probe = ("Docbridge verification " + clock.instant() + " " + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8);
        StoredObject stored = null;
        try {
            stored = put(ObjectPath.of(VERIFY_FOLDER, "probe-" + UUID.randomUUID() + ".txt"),
                    new ByteArrayInputStream(probe), probe.length, Map.of());
            try (InputStream in = open(stored.key())) {
                if (!Arrays.equals(probe, in.readAllBytes())) {
                    return record(Health.failed("A test file read back different bytes from the library",
                            clock.instant()));
                }
            }
            return record(Health.verified("Wrote, read back and deleted a test file in the library", clock.instant()));
        } catch (PluginException e) {
            return record(Health.of(e, clock.instant()));
        } catch (IOException e) {
            return record(Health.failed("Could not read a test file back: " + e.getMessage(), clock.instant()));
        } finally {
            if (stored != null) {
                try {
                    var folder = drives.item(driveId, stored(stored.key()).itemId()).getParentReference();
                    delete(stored.key());
                    // The folder was made for the probe: leave no litter in the library, unless someone uses it.
                    if (folder != null && folder.getId() != null && drives.children(driveId, folder.getId()).isEmpty()) {
                        drives.delete(driveId, folder.getId());
                    }
                } catch (PluginException e) {
                    log.warn("Could not clean up the verification file {}: {}", stored.location(), e.getMessage());
                }
            }
        }
    }

    private record Stored(String driveId, String itemId) {
    }

    private String key(String itemId) {
        return driveId + "/" + itemId;
    }

    /** Library ids (base64url) and item ids never contain a slash. */
    private Stored stored(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new Stored(bareKeysDriveId, key) : new Stored(key.substring(0, slash), key.substring(slash + 1));
    }

    /** The last thing learned about the connection, without calling SharePoint. */
    @Override
    public Health health() {
        return lastKnown.get();
    }

    private interface Call<T> {
        T run();
    }

    /** Runs a call and remembers an authentication failure for the badge, so it turns red before the next verify. */
    private <T> T remember(Call<T> call) {
        try {
            return call.run();
        } catch (PluginException e) {
            if (e.kind() == ErrorKind.AUTHENTICATION_EXPIRED || e.kind() == ErrorKind.CONSENT_REQUIRED) {
                lastKnown.set(Health.of(e, clock.instant()));
            }
            throw e;
        }
    }

    private Health record(Health health) {
        lastKnown.set(health);
        return health;
    }
}
