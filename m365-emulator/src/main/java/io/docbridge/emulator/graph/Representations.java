package io.docbridge.emulator.graph;

import static io.docbridge.emulator.graph.Wire.ISO;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.graph.DriveStore.Drive;
import io.docbridge.emulator.graph.DriveStore.Item;
import io.docbridge.emulator.graph.DriveStore.Site;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Drives, sites and items in Graph's JSON shapes (https://learn.microsoft.com/en-us/graph/api/resources/driveitem):
 * what the emulator answers, apart from how it decides what to answer. Links use the host the client called.
 */
final class Representations implements ItemRenderer {
    private final DriveStore store;
    private final Downloads downloads;

    Representations(DriveStore store, Downloads downloads) {
        this.store = store;
        this.downloads = downloads;
    }

    @Override
    public ObjectNode render(HttpServletRequest req, Item item) {
        return itemJson(req, item);
    }

    @Override
    public ObjectNode renderChanged(HttpServletRequest req, Item item) {
        return changedJson(req, item);
    }

    @Override
    public ObjectNode renderDeleted(Drive drive, DriveStore.Tombstone tombstone) {
        return deletedJson(drive, tombstone);
    }

    ObjectNode driveJson(Drive drive) {
        long used = store.used(drive.id());
        ObjectNode json = Json.object().put("id", drive.id()).put("driveType", drive.driveType())
                .put("name", drive.name()).put("description", "")
                .put("createdDateTime", ISO.format(drive.created())).put("lastModifiedDateTime", ISO.format(drive.created()))
                .put("webUrl", drive.webUrl());
        json.putObject("owner").set("user", identity(drive.owner()));
        json.putObject("quota").put("total", drive.quotaTotal()).put("used", used).put("remaining",
                drive.quotaTotal() - used).put("deleted", 0).put("state", used >= drive.quotaTotal() ? "exceeded"
                : used > drive.quotaTotal() * 0.9 ? "nearing" : "normal");
        if (drive.siteId() != null) {
            json.putObject("sharePointIds").put("siteId", drive.siteId().split(",")[1]);
        }
        return json;
    }

    ObjectNode siteJson(Site site) {
        ObjectNode json = Json.object().put("id", site.id()).put("name", site.name())
                .put("displayName", site.displayName()).put("description", "").put("webUrl", site.webUrl())
                .put("createdDateTime", ISO.format(site.created()))
                .put("lastModifiedDateTime", ISO.format(site.created()));
        json.putObject("siteCollection").put("hostname", site.hostname());
        if (site.serverRelativePath().isEmpty()) {
            json.putObject("root");
        }
        return json;
    }

    /**
     * A path as SharePoint writes it into webUrl: each segment percent-encoded (UTF-8) but for letters, digits and
     * {@code -._~}, so that a name such as "Q1 #3 100% & more.txt" makes a link that opens it.
     */
    static String webPath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c == '/' || c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    ObjectNode itemJson(HttpServletRequest req, Item item) {
        Drive drive = store.drive(item.driveId()).orElseThrow();
        boolean root = item.parentId() == null;
        ObjectNode json = Json.object().put("id", item.id()).put("name", item.name())
                .put("eTag", item.eTag()).put("createdDateTime", ISO.format(item.created()))
                .put("lastModifiedDateTime", ISO.format(item.modified()))
                .put("size", item.folder() ? store.folderSize(item.driveId(), item.id()) : item.size());
        if (!item.folder()) {
            json.put("cTag", item.cTag());
            json.put("@microsoft.graph.downloadUrl", downloads.url(req, item));
        }
        String path = root ? "" : store.parentPath(item).replaceFirst("^/drives/[^/]+/root:", "") + "/" + item.name();
        json.put("webUrl", drive.webUrl() + webPath(path));
        json.putObject("createdBy").set("user", identity(item.createdBy()));
        json.putObject("lastModifiedBy").set("user", identity(item.modifiedBy()));
        ObjectNode parent = json.putObject("parentReference").put("driveType", drive.driveType())
                .put("driveId", drive.id());
        if (!root) {
            parent.put("id", item.parentId()).put("path", store.parentPath(item));
        }
        if (drive.siteId() != null) {
            parent.put("siteId", drive.siteId());
        }
        json.putObject("fileSystemInfo").put("createdDateTime", ISO.format(item.fileCreated()))
                .put("lastModifiedDateTime", ISO.format(item.fileModified()));
        if (item.folder()) {
            json.putObject("folder").put("childCount", store.children(item.driveId(), item.id()).size());
        } else {
            json.putObject("file").put("mimeType", item.mimeType()).putObject("hashes")
                    .put("quickXorHash", item.quickXorHash());
        }
        if (root) {
            json.putObject("root");
        }
        String select = req.getParameter("$select");
        if (select != null && !select.isBlank()) {
            Set<String> keep = new java.util.HashSet<>(Arrays.asList(select.split(",")));
            keep.add("id");
            json.retain(keep.stream().map(String::trim).toList());
        }
        return json;
    }

    /**
     * An item in a delta page. Graph's remarks on delta (https://learn.microsoft.com/en-us/graph/api/driveitem-delta):
     * parentReference has no path, because renaming a folder does not return its descendants (track items by id);
     * and OneDrive for Business and SharePoint leave out cTag on created and modified items.
     */
    ObjectNode changedJson(HttpServletRequest req, Item item) {
        ObjectNode json = itemJson(req, item);
        if (json.get("parentReference") instanceof ObjectNode parent) {
            parent.remove("path");
        }
        String driveType = store.drive(item.driveId()).orElseThrow().driveType();
        if (!driveType.equals("personal")) {
            json.remove("cTag");
        }
        return json;
    }

    ObjectNode deletedJson(Drive drive, DriveStore.Tombstone t) {
        ObjectNode json = Json.object().put("id", t.id());
        ObjectNode parent = json.putObject("parentReference").put("driveType", drive.driveType())
                .put("driveId", drive.id());
        if (t.parentId() != null) {
            parent.put("id", t.parentId());
        }
        json.putObject("deleted").put("state", "deleted");
        if (t.folder()) {
            json.putObject("folder").put("childCount", 0);
        } else {
            json.putObject("file");
        }
        return json;
    }

    private static ObjectNode identity(Actor actor) {
        ObjectNode json = Json.object().put("id", actor.id()).put("displayName", actor.displayName());
        if (!actor.email().isEmpty()) {
            json.put("email", actor.email());
        }
        return json;
    }
}
