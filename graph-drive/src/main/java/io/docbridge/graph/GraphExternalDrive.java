package io.docbridge.graph;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.PluginException;
import io.docbridge.api.TaskProgress;

import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A OneDrive or a SharePoint document library as an {@link ExternalDrive}. The change feed is Graph's delta: the
 * cursor is the nextLink or deltaLink Graph handed out, the drive's root item is left out, and a 410 is
 * CURSOR_EXPIRED. Thread-safe.
 */
public final class GraphExternalDrive implements ExternalDrive {
    private final DriveClient drives;
    private final String driveId;
    private final int pageSize;

    public GraphExternalDrive(DriveClient drives, String driveId, int pageSize) {
        this.drives = drives;
        this.driveId = driveId;
        this.pageSize = pageSize;
    }

    /**
     * Items per change-feed page that a sync asks for: delta takes {@code $top}
     * (https://learn.microsoft.com/en-us/graph/api/driveitem-delta), and a full sync of 100,000 items then costs 100
     * requests rather than the 500 of the service's usual pages of 200 (measured by bench/run: 3.2 s instead of
     * 4.4 s). The service may send fewer; the feed is followed by its links either way.
     */
    static final int PAGE_SIZE = 1000;

    public GraphExternalDrive(DriveClient drives, String driveId) {
        this(drives, driveId, PAGE_SIZE);
    }

    @Override
    public DriveItem root() {
        return map(drives.item(driveId, "root"));
    }

    @Override
    public List<DriveItem> children(String folderId) {
        return drives.children(driveId, folderId).stream().map(GraphExternalDrive::map).toList();
    }

    @Override
    public ChangePage changes(String cursor) {
        return changes(cursor, Retry.Waiting.NONE);
    }

    @Override
    public ChangePage changes(String cursor, TaskProgress progress) {
        return changes(cursor, (reason, wait) -> progress.waiting(reason, Instant.now().plus(wait)));
    }

    private ChangePage changes(String cursor, Retry.Waiting waiting) {
        DeltaPage page = drives.delta(driveId, cursor, pageSize, waiting);
        boolean more = page.nextLink() != null;
        return new ChangePage(page.changes(), more ? page.nextLink() : page.deltaLink(), more);
    }

    @Override
    public InputStream download(String itemId) {
        return drives.download(driveId, itemId);
    }

    @Override
    public DriveItem upload(String parentId, String name, InputStream content, long size, ConflictBehavior onConflict,
                            Instant modified) {
        DriveNames.check(name);
        return map(drives.upload(driveId, parentId, name, content, size, conflict(onConflict), modified).item());
    }

    @Override
    public DriveItem replace(String itemId, InputStream content, long size, String expectedVersion, Instant modified) {
        try {
            return map(drives.replace(driveId, itemId, itemId, content, size, expectedVersion, modified).item());
        } catch (PluginException e) {
            throw e.kind() == ErrorKind.CHANGED_SINCE_READ ? new PluginException(ErrorKind.CHANGED_SINCE_READ,
                    "Someone changed the file in Microsoft 365 since you opened it; nothing was overwritten.", e) : e;
        }
    }

    @Override
    public DriveItem createFolder(String parentId, String name, ConflictBehavior onConflict) {
        DriveNames.check(name);
        try {
            return map(drives.createFolder(driveId, parentId, name, conflict(onConflict)));
        } catch (PluginException e) {
            throw e.kind() == ErrorKind.CONFLICT ? new PluginException(ErrorKind.CONFLICT, "A file or folder named \""
                    + name + "\" already exists here.", e) : e;
        }
    }

    @Override
    public DriveItem move(String itemId, String newParentId, String newName) {
        if (newName != null) {
            DriveNames.check(newName);
        }
        try {
            return map(drives.move(driveId, itemId, newParentId, newName));
        } catch (PluginException e) {
            throw e.kind() == ErrorKind.CONFLICT && newName != null ? new PluginException(ErrorKind.CONFLICT,
                    "A file or folder named \"" + newName + "\" already exists there.", e) : e;
        }
    }

    @Override
    public void delete(String itemId) {
        drives.delete(driveId, itemId);
    }

    /**
     * Graph caps a driveItem subscription at 42,300 minutes (https://learn.microsoft.com/en-us/graph/api/resources/subscription);
     * a longer wish is shortened rather than refused.
     */
    static final java.time.Duration LONGEST_SUBSCRIPTION = java.time.Duration.ofMinutes(42_000);

    @Override
    public Optional<io.docbridge.api.PushSubscription> subscribe(String notificationUrl, String clientState,
                                                                 Instant until) {
        com.microsoft.graph.models.Subscription s = drives.subscribe(driveId, notificationUrl, clientState,
                capped(until));
        return Optional.of(new io.docbridge.api.PushSubscription(s.getId(), s.getExpirationDateTime().toInstant()));
    }

    @Override
    public io.docbridge.api.PushSubscription renew(String subscriptionId, Instant until) {
        com.microsoft.graph.models.Subscription s = drives.renewSubscription(subscriptionId, capped(until));
        return new io.docbridge.api.PushSubscription(subscriptionId, s.getExpirationDateTime().toInstant());
    }

    @Override
    public void unsubscribe(String subscriptionId) {
        drives.unsubscribe(subscriptionId);
    }

    private static Instant capped(Instant until) {
        Instant longest = Instant.now().plus(LONGEST_SUBSCRIPTION);
        return until.isAfter(longest) ? longest : until;
    }

    private static String conflict(ConflictBehavior behavior) {
        return behavior.name().toLowerCase(Locale.ROOT);
    }

    static DriveItem map(com.microsoft.graph.models.DriveItem item) {
        String parent = item.getRoot() != null || item.getParentReference() == null ? null
                : item.getParentReference().getId();
        String modifiedBy = Optional.ofNullable(item.getLastModifiedBy()).map(i -> i.getUser())
                .map(u -> u.getDisplayName()).orElse("");
        return new DriveItem(item.getId(), parent, Optional.ofNullable(item.getName()).orElse(""),
                item.getFolder() != null || item.getRoot() != null, Optional.ofNullable(item.getSize()).orElse(0L),
                // the file's own times (fileSystemInfo) where the client that uploaded it gave them: a document's
                // date, not its upload's (https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo)
                instant(Optional.ofNullable(item.getFileSystemInfo()).map(f -> f.getCreatedDateTime())
                        .orElse(item.getCreatedDateTime())),
                instant(Optional.ofNullable(item.getFileSystemInfo()).map(f -> f.getLastModifiedDateTime())
                        .orElse(item.getLastModifiedDateTime())), modifiedBy,
                Optional.ofNullable(item.getETag()).orElse(""), Optional.ofNullable(item.getWebUrl()).orElse(""));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }
}
