package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore.Drive;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Graph's delta, drive by drive (https://learn.microsoft.com/en-us/graph/api/driveitem-delta): a full read paged by absolute nextLinks that change
 * every page, a deltaLink with {@code ?token=} at the end (query options kept), later only the changes with their
 * ancestors, {@code token=latest}, and 410 resyncRequired for a token that is too old or invalidated. A deltaLink's
 * token carries the drive's change-log position, so it survives restarts; a paging snapshot does not.
 */
final class DeltaFeed {
    /** A read in progress: the ids to list, fixed at its first page, and where it ends. */
    private record DeltaSnapshot(String driveId, List<String> ids, long endSeq, long generation) {
    }

    private final DriveStore store;
    private final ItemRenderer items;
    /** Reads in progress, by nextLink token; one nobody follows for an hour is forgotten (the client resyncs). */
    private final Map<String, DeltaSnapshot> deltaPages;

    DeltaFeed(DriveStore store, ItemRenderer items, java.time.Clock clock) {
        this.deltaPages = io.docbridge.emulator.Expiring.map(clock, java.time.Duration.ofHours(1));
        this.store = store;
        this.items = items;
    }


    /** One page of a drive's delta: the first of a full read, the next one, or the changes since a deltaLink. */
    void page(HttpServletRequest req, HttpServletResponse resp, Drive drive) throws IOException {
        int top = Math.max(1, Math.min(1000, Wire.intParam(req, "$top", 200)));
        String token = req.getParameter("token");
        DriveStore.Position now = store.position(drive.id());
        String deltaBase = Wire.base(req) + "v1.0/drives/" + drive.id() + "/root/delta";
        if ("latest".equals(token)) {
            ObjectNode page = Json.object();
            page.putArray("value");
            page.put("@odata.deltaLink", deltaBase + "?token=" + deltaToken(now.generation(), now.seq())
                    + (req.getParameter("$top") == null ? "" : "&$top=" + top));
            Wire.ok(resp, page);
            return;
        }
        DeltaSnapshot snapshot;
        int offset;
        if (token != null && token.startsWith("p")) {
            String[] parts = token.substring(1).split("\\.");
            snapshot = parts.length == 2 ? deltaPages.get(parts[0]) : null;
            if (snapshot == null || snapshot.generation() != now.generation()) {
                resync(resp, deltaBase);
                return;
            }
            offset = Integer.parseInt(parts[1]);
        } else {
            long since = 0;
            if (token != null) {
                long[] decoded = decodeDeltaToken(token);
                if (decoded == null || decoded[0] != now.generation() || decoded[1] > now.seq()) {
                    resync(resp, deltaBase);
                    return;
                }
                since = decoded[1];
            }
            snapshot = new DeltaSnapshot(drive.id(), store.changedIds(drive.id(), since), now.seq(), now.generation());
            offset = 0;
        }
        ObjectNode page = Json.object();
        ArrayNode value = page.putArray("value");
        List<String> ids = snapshot.ids().subList(offset, Math.min(snapshot.ids().size(), offset + top));
        for (String id : ids) {
            DriveStore.Change change = store.change(drive.id(), id);
            value.add(change.item() != null ? items.renderChanged(req, change.item()) : items.renderDeleted(drive, change.deleted()));
        }
        if (offset + top < snapshot.ids().size()) {
            String key = UUID.randomUUID().toString().replace("-", "");
            deltaPages.put(key, snapshot);
            page.put("@odata.nextLink", deltaBase + "?token=p" + key + "." + (offset + top) + "&$top=" + top);
        } else {
            // Graph keeps the query options in the links it hands out (https://learn.microsoft.com/en-us/graph/api/driveitem-delta).
            page.put("@odata.deltaLink", deltaBase + "?token=" + deltaToken(snapshot.generation(), snapshot.endSeq())
                    + (req.getParameter("$top") == null ? "" : "&$top=" + top));
        }
        Wire.ok(resp, page);
    }

    private void resync(HttpServletResponse resp, String deltaBase) throws IOException {
        resp.setHeader("Location", deltaBase);
        throw new GraphException(410, "resyncRequired", "Resync required. Replace any local items with the server's "
                + "version (including deletes) if you're sure that the service was up to date with your local changes "
                + "when you last sync'd. Upload any local changes that the server doesn't know about.",
                "resyncChangesApplyDifferences");
    }

    private static String deltaToken(long generation, long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("d:" + generation + ":" + seq)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static long[] decodeDeltaToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            return parts.length == 3 && parts[0].equals("d")
                    ? new long[]{Long.parseLong(parts[1]), Long.parseLong(parts[2])} : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

}
