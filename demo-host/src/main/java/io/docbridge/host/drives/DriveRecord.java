package io.docbridge.host.drives;

import io.docbridge.host.tasks.TaskStatus;

import java.time.Instant;

/**
 * An external drive as My Files shows it.
 *
 * @param rootId    the remote root folder's id (the index lists items under it)
 * @param available whether a running plugin offers its type
 * @param sync      the sync task's state and last result
 * @param held      whether the last sync stopped at the {@link DeletionLimit} and waits for the person to confirm
 * @param reconnect where to sign in again when the last sync found the sign-in expired, else empty
 * @param organisation whether an administrator connected it for everyone (read-only to people who are not
 *                     administrators); else it is {@code userId}'s own
 */
public record DriveRecord(String id, long userId, String typeId, String typeName, String name, String rootId,
                          boolean available, int syncMinutes, Instant createdAt, TaskStatus sync, boolean held,
                          String reconnect, boolean organisation) {

    /** Whether the person may change it: upload, rename, delete, resync settings, disconnect. */
    public boolean changeableBy(long personId, boolean orgAdmin) {
        return organisation ? orgAdmin : userId == personId;
    }

    /** Whether the person sees it in My Files. */
    public boolean visibleTo(long personId) {
        return organisation || userId == personId;
    }
}
