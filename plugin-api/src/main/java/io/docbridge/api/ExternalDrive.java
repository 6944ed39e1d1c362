package io.docbridge.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A configured remote folder tree that syncs into a user's files. Items are addressed by the remote service's ids,
 * which survive renames and moves. Implementations must be safe for concurrent use.
 *
 * <p>Every method may throw {@link PluginException}; besides the kinds each method names,
 * {@link ErrorKind#AUTHENTICATION_EXPIRED}, {@link ErrorKind#ACCESS_DENIED}, {@link ErrorKind#THROTTLED},
 * {@link ErrorKind#UNAVAILABLE} and {@link ErrorKind#TIMED_OUT} may come from any call. No method ever deletes anything but what
 * {@link #delete} is asked to.
 */
public interface ExternalDrive extends AutoCloseable {

    /** The drive's root folder. */
    DriveItem root();

    /**
     * The items directly in a folder, in no particular order.
     *
     * @throws PluginException {@link ErrorKind#NOT_FOUND} if there is no such folder
     */
    List<DriveItem> children(String folderId);

    /**
     * Reads the change feed. With a null cursor it starts from nothing, so the first pages list every item of the
     * drive; with the cursor of a caught-up page it lists what changed since. Call again with the returned cursor
     * while {@link ChangePage#hasMore()}.
     *
     * @throws PluginException {@link ErrorKind#CURSOR_EXPIRED} if the cursor is too old or otherwise no longer
     *                         valid: start again from null and merge (a resync)
     */
    ChangePage changes(String cursor);

    /**
     * {@link #changes(String)} for a sync task, which it tells when it waits before trying again (throttled, timed
     * out), so the person sees why a sync pauses. By default the plain call.
     */
    default ChangePage changes(String cursor, TaskProgress progress) {
        return changes(cursor);
    }

    /**
     * Opens a file's content. The caller closes the stream.
     *
     * @throws PluginException {@link ErrorKind#NOT_FOUND} if there is no such file
     */
    InputStream download(String itemId);

    /**
     * Uploads a file into a folder, reading {@code content} to its end (not closing it). Streams; large files may go
     * in parts, and either the whole file arrives or none of it.
     *
     * @param size     the exact number of bytes
     * @param modified when the file last changed where it comes from (a person's computer), kept as the file's
     *                 modified time; null if not known, and the service's time of the upload shows
     * @throws PluginException {@link ErrorKind#CONFLICT} if the name is taken and {@code onConflict} is FAIL;
     *                         {@link ErrorKind#NOT_FOUND} if the folder does not exist;
     *                         {@link ErrorKind#NAME_NOT_ALLOWED}; {@link ErrorKind#TOO_LARGE};
     *                         {@link ErrorKind#INVALID_INPUT} if the content is not {@code size} bytes long
     */
    DriveItem upload(String parentId, String name, InputStream content, long size, ConflictBehavior onConflict,
                     Instant modified);

    /**
     * Replaces a file's content, but only if the file is still the version the caller saw: a change made in the
     * service in the meantime is never overwritten without the person choosing so. Streams, like {@link #upload}.
     *
     * @param expectedVersion the {@link DriveItem#version()} the caller last saw
     * @param modified        as for {@link #upload}
     * @throws PluginException {@link ErrorKind#CHANGED_SINCE_READ} if the file's version is no longer
     *                         {@code expectedVersion} (nothing was written); {@link ErrorKind#NOT_FOUND};
     *                         {@link ErrorKind#TOO_LARGE}; {@link ErrorKind#INVALID_INPUT} as for {@link #upload}
     */
    DriveItem replace(String itemId, InputStream content, long size, String expectedVersion, Instant modified);

    /**
     * Creates a folder.
     *
     * @throws PluginException {@link ErrorKind#CONFLICT} if the name is taken and {@code onConflict} is FAIL;
     *                         {@link ErrorKind#NOT_FOUND}; {@link ErrorKind#NAME_NOT_ALLOWED}
     */
    DriveItem createFolder(String parentId, String name, ConflictBehavior onConflict);

    /**
     * Renames and/or moves an item.
     *
     * @param newParentId the folder to move it into, or null to leave it where it is
     * @param newName     the new name, or null to keep it
     * @throws PluginException {@link ErrorKind#CONFLICT} if the target name is taken, or a folder would move into
     *                         itself; {@link ErrorKind#NOT_FOUND}; {@link ErrorKind#NAME_NOT_ALLOWED}
     */
    DriveItem move(String itemId, String newParentId, String newName);

    /**
     * Deletes an item (a folder with all it holds); the service may keep it in its recycle bin.
     *
     * @throws PluginException {@link ErrorKind#NOT_FOUND} if there is no such item
     */
    void delete(String itemId);

    /**
     * Push: asks the service to POST to {@code notificationUrl} whenever something in the drive changes, carrying
     * {@code clientState} so the host can tell a real notification from a forged one, until {@code until} (the
     * service may give less). The host still reads {@link #changes}; a notification only says when. By default the
     * drive has no push and its schedule alone syncs it.
     *
     * @param notificationUrl a public HTTPS address of the host that the service can reach
     * @return the subscription, or empty if the service cannot push
     * @throws PluginException {@link ErrorKind#INVALID_INPUT} if the service could not reach or validate
     *                         {@code notificationUrl} (the host is not reachable from it)
     */
    default Optional<PushSubscription> subscribe(String notificationUrl, String clientState, java.time.Instant until) {
        return Optional.empty();
    }

    /**
     * Extends a subscription.
     *
     * @throws PluginException {@link ErrorKind#NOT_FOUND} if the service no longer has it: subscribe again
     */
    default PushSubscription renew(String subscriptionId, java.time.Instant until) {
        throw new PluginException(ErrorKind.NOT_FOUND, "This drive has no push subscriptions");
    }

    /** Ends a subscription; one the service no longer has is not an error. */
    default void unsubscribe(String subscriptionId) {
    }

    @Override
    default void close() {
    }
}
