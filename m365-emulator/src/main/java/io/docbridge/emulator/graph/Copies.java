package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.graph.DriveStore.Drive;
import io.docbridge.emulator.graph.DriveStore.Item;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Copies in the background, each followed at its monitor URL, as Graph runs them. */
final class Copies {
    private final DriveStore store;
    private final List<String> hostNames;

    Copies(DriveStore store, Clock clock, List<String> hostNames) {
        this.store = store;
        this.hostNames = hostNames;
        this.copies = io.docbridge.emulator.Expiring.map(clock, Duration.ofHours(1));
    }

    /** A copy in progress, as its monitor URL reports it. */
    private record CopyJob(String status, double percentageComplete, String resourceId, String errorCode) {
    }

    /** Copy jobs, kept an hour after their last change for their monitor URL. */
    private final Map<String, CopyJob> copies;
    private final java.util.concurrent.ExecutorService copier = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "emulator-copy");
                t.setDaemon(true);
                return t;
            });

    /** The monitor URL of a copy: no authentication, as Graph's (short-lived and unguessable instead). */
    void monitor(HttpServletResponse resp, String id) throws IOException {
        CopyJob job = copies.get(id);
        if (job == null) {
            throw GraphException.itemNotFound();
        }
        ObjectNode json = Json.object().put("operation", "ItemCopy").put("percentageComplete", job.percentageComplete())
                .put("status", job.status());
        if (job.resourceId() != null) {
            json.put("resourceId", job.resourceId());
        }
        if (job.errorCode() != null) {
            json.put("errorCode", job.errorCode());
        }
        Json.write(resp, 202, json, "application/json");
    }

    /**
     * Starts copying an item into a folder (possibly of another drive) on the emulator's copy thread; answers 202
     * with the monitor URL, as Graph does (https://learn.microsoft.com/en-us/graph/api/driveitem-copy).
     */
    void start(HttpServletRequest req, HttpServletResponse resp, Drive drive, Item item, Drive targetDrive,
               String targetParent, String name, String conflict, Actor actor) {
        String id = UUID.randomUUID().toString();
        copies.put(id, new CopyJob("notStarted", 0, null, null));
        copier.execute(() -> {
            copies.put(id, new CopyJob("inProgress", 42.0, null, null));
            try {
                Thread.sleep(50); // long enough for a first poll to see it running
                Item copy = store.copy(drive.id(), item.id(), targetDrive.id(), targetParent, name, conflict, actor);
                copies.put(id, new CopyJob("completed", 100.0, copy.id(), null));
            } catch (GraphException e) {
                copies.put(id, new CopyJob("failed", 0, null, e.code()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        resp.setStatus(202);
        resp.setHeader("Location", Wire.filesBase(req, hostNames) + "_monitor/" + id);
    }

    /** A copy still running when the emulator stops is abandoned, as a restart would. */
    void stop() {
        copier.shutdownNow();
    }
}
