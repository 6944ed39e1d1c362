package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;

/** Renders items as Graph's driveItem JSON for the caller of a request (links use its host). */
interface ItemRenderer {
    ObjectNode render(HttpServletRequest req, DriveStore.Item item);

    /** An item as a delta page carries it, which leaves out what delta does not keep current. */
    ObjectNode renderChanged(HttpServletRequest req, DriveStore.Item item);

    ObjectNode renderDeleted(DriveStore.Drive drive, DriveStore.Tombstone tombstone);
}
