package io.docbridge.emulator.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Drives, sites and items, with file content on disk and a sequence-numbered change log per drive for delta. Every
 * change stamps the item with the drive's next sequence number; a deletion leaves a tombstone. One lock guards the
 * metadata; content is streamed to a temporary file outside the lock and published by a rename inside it.
 */
public final class DriveStore {
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final Pattern INVALID = Pattern.compile("[\"*:<>?/\\\\|]");
    private static final Set<String> RESERVED = Set.of(".lock", "con", "prn", "aux", "nul", "desktop.ini");
    private static final SecureRandom random = new SecureRandom();

    /** Who did something, as Graph's identitySet shows it. */
    public record Actor(String id, String displayName, String email) {
        public static final Actor SYSTEM = new Actor("00000000-0000-0000-0000-000000000000", "SharePoint App", "");
    }

    /**
     * @param ownerId the owning user for a OneDrive; null for a document library
     * @param siteId  the site of a document library; null for a OneDrive
     */
    public record Drive(String id, String driveType, String name, String ownerId, Actor owner, String siteId,
                        String webUrl, long quotaTotal, Instant created) {
    }

    /**
     * A SharePoint site and who may open it.
     *
     * @param memberIds  users who may open it and edit its libraries (the site's Members)
     * @param appGrants  for apps with Sites.Selected: app id to role ("read" or "write")
     * @param visitorIds users who may open it and read, not edit (the site's Visitors)
     */
    public record Site(String id, String name, String displayName, String hostname, String serverRelativePath,
                       String webUrl, Set<String> memberIds, Instant created, Map<String, String> appGrants,
                       Set<String> visitorIds) {
        public Site {
            appGrants = appGrants == null ? Map.of() : Map.copyOf(appGrants);
            visitorIds = visitorIds == null ? Set.of() : Set.copyOf(visitorIds);
        }

        public Site(String id, String name, String displayName, String hostname, String serverRelativePath,
                    String webUrl, Set<String> memberIds, Instant created, Map<String, String> appGrants) {
            this(id, name, displayName, hostname, serverRelativePath, webUrl, memberIds, created, appGrants, Set.of());
        }

        /** Whether the user may open the site: a member or a visitor. */
        public boolean opens(String userId) {
            return memberIds.contains(userId) || visitorIds.contains(userId);
        }
    }

    /** An item as it is now; immutable, replaced on every change. */
    public record Item(String id, String driveId, String parentId, String name, boolean folder, long size,
                       String guid, long version, long contentVersion, Instant created, Instant modified,
                       Actor createdBy, Actor modifiedBy, String mimeType, String quickXorHash, Path content,
                       long seq, FileTimes clientTimes) {
        /** fileSystemInfo: the times the client gave, each falling back to the service's own. */
        public Instant fileCreated() {
            return clientTimes == null || clientTimes.created() == null ? created : clientTimes.created();
        }

        public Instant fileModified() {
            return clientTimes == null || clientTimes.modified() == null ? modified : clientTimes.modified();
        }

        public String eTag() {
            return "\"{" + guid + "}," + version + "\"";
        }

        public String cTag() {
            return "\"c:{" + guid + "}," + contentVersion + "\"";
        }
    }

    /**
     * The times a client set through fileSystemInfo (https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo):
     * when the file was created and last changed on the client's side; either may be null (then the service's own
     * time shows). The item's own createdDateTime and lastModifiedDateTime stay the service's.
     */
    public record FileTimes(Instant created, Instant modified) {
        /** These times with the ones given in {@code newer} replacing them; null for neither. */
        public static FileTimes merge(FileTimes older, FileTimes newer) {
            if (newer == null) {
                return older;
            }
            if (older == null) {
                return newer;
            }
            return new FileTimes(newer.created() != null ? newer.created() : older.created(),
                    newer.modified() != null ? newer.modified() : older.modified());
        }
    }

    /** A deleted item, remembered for delta. */
    public record Tombstone(String id, String parentId, boolean folder, long seq) {
    }

    private final class DriveState {
        final Drive drive;
        final ItemTable items = new ItemTable();
        final Map<String, Tombstone> tombstones = new HashMap<>();
        long seq;
        long generation = 1;
        String rootId;

        DriveState(Drive drive) {
            this.drive = drive;
        }
    }

    /** In creation order: a site's first library is its default drive. */
    private final Map<String, DriveState> drives = new java.util.LinkedHashMap<>();
    private final Map<String, Site> sites = new java.util.LinkedHashMap<>();
    private final Path contentDir;
    private final Clock clock;

    private long structureChanges;
    private volatile boolean rewriteOfficeFiles;
    /** The Office types SharePoint rewrites after upload (it writes column values into the document). */
    public static final Set<String> REWRITTEN_OFFICE_TYPES = Set.of(".docx", ".xlsx", ".pptx", ".docm", ".xlsm",
            ".pptm");

    /**
     * Makes the store behave like SharePoint with Office files: after upload it rewrites them (it stamps its own
     * properties into the document), so the stored size and quickXorHash differ from what the client sent.
     */
    public void rewriteOfficeFiles(boolean on) {
        this.rewriteOfficeFiles = on;
    }

    /** SharePoint's rewrite, when on: the stored file gets a trailer, and its size and hash change. */
    private Staged maybeRewrite(String name, Staged staged) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!rewriteOfficeFiles || REWRITTEN_OFFICE_TYPES.stream().noneMatch(lower::endsWith)) {
            return staged;
        }
        try (InputStream in = Files.newInputStream(staged.file())) {
            Staged rewritten = stage(new java.io.SequenceInputStream(in, new java.io.ByteArrayInputStream(
                    "<!-- SharePoint document properties -->".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            deleteQuietly(staged.file());
            return rewritten;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One drive, for saving to disk. */
    public record DriveSnapshot(Drive drive, String rootId, long seq, long generation, List<Item> items,
                                List<Tombstone> tombstones) {
    }

    /** Everything the store holds but file content (which is on disk already), for saving to disk. */
    public record Snapshot(List<DriveSnapshot> drives, List<Site> sites) {
    }

    public synchronized Snapshot snapshot() {
        List<DriveSnapshot> all = new ArrayList<>();
        for (DriveState s : drives.values()) {
            all.add(new DriveSnapshot(s.drive, s.rootId, s.seq, s.generation, List.copyOf(s.items.values()),
                    List.copyOf(s.tombstones.values())));
        }
        return new Snapshot(all, List.copyOf(sites.values()));
    }

    /** Loads a snapshot; content files are looked up by name in this store's content folder. */
    public synchronized void restore(Snapshot snapshot) {
        snapshot.sites().forEach(site -> sites.put(site.id(), site));
        for (DriveSnapshot d : snapshot.drives()) {
            DriveState state = new DriveState(d.drive());
            state.rootId = d.rootId();
            state.seq = d.seq();
            state.generation = d.generation();
            for (Item item : d.items()) {
                Path content = item.content() == null ? null : contentDir.resolve(item.content().getFileName());
                state.items.put(new Item(item.id(), item.driveId(), item.parentId(), item.name(),
                        item.folder(), item.size(), item.guid(), item.version(), item.contentVersion(), item.created(),
                        item.modified(), item.createdBy(), item.modifiedBy(), item.mimeType(), item.quickXorHash(),
                        content, item.seq(), item.clientTimes()));
            }
            d.tombstones().forEach(t -> state.tombstones.put(t.id(), t));
            drives.put(d.drive().id(), state);
        }
        structureChanges++;
    }

    /** Grows with every change, so a saver can tell whether there is anything new to write. */
    public synchronized long changes() {
        long total = structureChanges;
        for (DriveState s : drives.values()) {
            total += s.seq + s.generation;
        }
        return total;
    }

    public DriveStore(Path contentDir, Clock clock) {
        this.contentDir = contentDir;
        this.clock = clock;
        try {
            io.docbridge.emulator.PrivateFiles.folder(contentDir);
            // content that was on its way in when the process ended: no upload session outlives it
            try (var leftovers = Files.newDirectoryStream(contentDir, INCOMING + "*")) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- drives and sites ----

    public synchronized Drive addPersonalDrive(Actor owner, String tenantHost, long quota) {
        String slug = owner.email().replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
        return addDrive("business", "OneDrive", owner.id(), owner, null,
                "https://" + tenantHost.replace(".sharepoint.com", "-my.sharepoint.com") + "/personal/" + slug
                        + "/Documents", quota);
    }

    /**
     * The OneDrive of a personal Microsoft account: {@code driveType} "personal", a 16-hex-digit drive id and item
     * ids of the form {@code <driveId>!<n>}, as consumer OneDrive hands them out.
     */
    public synchronized Drive addConsumerDrive(Actor owner, long quota) {
        String cid = randomId(16, "0123456789ABCDEF");
        return addDrive(cid, "personal", "OneDrive", owner.id(), owner, null, "https://onedrive.live.com/?cid="
                + cid.toLowerCase(Locale.ROOT), quota);
    }

    public synchronized Site addSite(String hostname, String serverRelativePath, String displayName,
                                     Set<String> memberIds) {
        String id = hostname + "," + UUID.randomUUID() + "," + UUID.randomUUID();
        String name = serverRelativePath.isEmpty() ? "root" : serverRelativePath.substring(serverRelativePath
                .lastIndexOf('/') + 1);
        Site site = new Site(id, name, displayName, hostname, serverRelativePath,
                "https://" + hostname + serverRelativePath, Set.copyOf(memberIds), now(), Map.of());
        sites.put(id, site);
        structureChanges++;
        return site;
    }

    /** Makes users the site's Visitors: they open it and read its libraries, and may not change them. */
    public synchronized Site updateSiteVisitors(Site site, Set<String> visitorIds) {
        Site current = site(site.id()).orElseThrow(GraphException::itemNotFound);
        Site updated = new Site(current.id(), current.name(), current.displayName(), current.hostname(),
                current.serverRelativePath(), current.webUrl(), current.memberIds(), current.created(),
                current.appGrants(), visitorIds);
        sites.put(site.id(), updated);
        structureChanges++;
        return updated;
    }

    public synchronized Site updateSiteMembers(Site site, Set<String> memberIds) {
        Site updated = new Site(site.id(), site.name(), site.displayName(), site.hostname(), site.serverRelativePath(),
                site.webUrl(), Set.copyOf(memberIds), site.created(), site.appGrants(), site.visitorIds());
        sites.put(site.id(), updated);
        structureChanges++;
        return updated;
    }

    /**
     * Grants an app with the Sites.Selected permission access to one site, as an administrator does with
     * {@code POST /sites/{id}/permissions}.
     *
     * @param role "read" or "write"
     */
    public synchronized Site grantSiteToApp(String siteId, String appId, String role) {
        Site site = site(siteId).orElseThrow(GraphException::itemNotFound);
        Map<String, String> grants = new HashMap<>(site.appGrants());
        grants.put(appId, role);
        Site updated = new Site(site.id(), site.name(), site.displayName(), site.hostname(), site.serverRelativePath(),
                site.webUrl(), site.memberIds(), site.created(), grants, site.visitorIds());
        sites.put(site.id(), updated);
        structureChanges++;
        return updated;
    }

    public synchronized Drive addLibrary(Site site, String name, long quota) {
        return addDrive("documentLibrary", name, null, Actor.SYSTEM, site.id(),
                site.webUrl() + "/" + name.replace(" ", "%20"), quota);
    }

    private Drive addDrive(String type, String name, String ownerId, Actor owner, String siteId, String webUrl,
                           long quota) {
        return addDrive("b!" + randomId(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), type,
                name, ownerId, owner, siteId, webUrl, quota);
    }

    private Drive addDrive(String id, String type, String name, String ownerId, Actor owner, String siteId,
                           String webUrl, long quota) {
        Drive drive = new Drive(id, type, name, ownerId, owner, siteId, webUrl, quota, now());
        DriveState state = new DriveState(drive);
        Item root = new Item(newItemId(state), drive.id(), null, "root", true, 0, UUID.randomUUID().toString()
                .toUpperCase(Locale.ROOT), 1, 1, drive.created(), drive.created(), owner, owner, null, null, null,
                ++state.seq, null);
        state.items.put(root);
        state.rootId = root.id();
        drives.put(drive.id(), state);
        structureChanges++;
        return drive;
    }

    public synchronized Optional<Drive> drive(String id) {
        return drives.values().stream().filter(s -> s.drive.id().equalsIgnoreCase(id)).map(s -> s.drive).findFirst();
    }

    public synchronized List<Drive> drives() {
        return drives.values().stream().map(s -> s.drive).toList();
    }

    public synchronized Optional<Drive> personalDrive(String userId) {
        return drives.values().stream().map(s -> s.drive).filter(d -> userId.equals(d.ownerId())).findFirst();
    }

    public synchronized List<Drive> siteDrives(String siteId) {
        return drives.values().stream().map(s -> s.drive).filter(d -> siteId.equals(d.siteId())).toList();
    }

    public synchronized Optional<Site> site(String id) {
        return Optional.ofNullable(sites.get(id));
    }

    public synchronized List<Site> sites() {
        return List.copyOf(sites.values());
    }

    // ---- reading items ----

    public synchronized String rootId(String driveId) {
        return state(driveId).rootId;
    }

    public synchronized Item item(String driveId, String itemId) {
        DriveState s = state(driveId);
        Item item = s.items.get(itemId.equalsIgnoreCase("root") ? s.rootId : itemId);
        if (item == null) {
            throw GraphException.itemNotFound();
        }
        return item;
    }

    /** The item at a path below a folder; names compare case-insensitively, as in SharePoint. */
    public synchronized Item itemByPath(String driveId, String baseId, String path) {
        Item current = item(driveId, baseId);
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            current = child(state(driveId), current.id(), name).orElseThrow(GraphException::itemNotFound);
        }
        return current;
    }

    public synchronized List<Item> children(String driveId, String folderId) {
        Item folder = item(driveId, folderId);
        if (!folder.folder()) {
            return List.of();
        }
        return state(driveId).items.children(folder.id());
    }

    /** Total bytes of the files below a folder (Graph reports a folder's size so). */
    public synchronized long folderSize(String driveId, String folderId) {
        long total = 0;
        for (Item child : children(driveId, folderId)) {
            total += child.folder() ? folderSize(driveId, child.id()) : child.size();
        }
        return total;
    }

    /** How many files and folders the drive holds, its root not counted. */
    public synchronized int itemCount(String driveId) {
        return state(driveId).items.size() - 1;
    }

    public synchronized long used(String driveId) {
        return state(driveId).items.fileBytes();
    }

    /** "/drives/{id}/root:/A/B" for an item's parent folder path, as parentReference.path shows it. */
    public synchronized String parentPath(Item item) {
        List<String> names = new ArrayList<>();
        DriveState s = state(item.driveId());
        for (Item p = s.items.get(item.parentId()); p != null && p.parentId() != null; p = s.items.get(p.parentId())) {
            names.add(0, p.name());
        }
        return "/drives/" + item.driveId() + "/root:" + (names.isEmpty() ? "" : "/" + String.join("/", names));
    }

    // ---- changing items ----

    /**
     * The folder at a path below a base folder, creating the missing ones, as a path-addressed simple upload does
     * (onedrive-api-docs #83). A file in the way is a conflict.
     */
    public synchronized Item ensureFolders(String driveId, String baseId, String path, Actor actor) {
        DriveState s = state(driveId);
        Item current = folder(s, baseId);
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            Optional<Item> next = child(s, current.id(), name);
            if (next.isPresent() && !next.get().folder()) {
                throw nameExists();
            }
            current = next.isPresent() ? next.get() : createFolder(driveId, current.id(), name, "fail", actor);
        }
        return current;
    }

    public synchronized Item createFolder(String driveId, String parentId, String name, String conflict, Actor actor) {
        DriveState s = state(driveId);
        Item parent = folder(s, parentId);
        checkName(s, parent, name);
        Optional<Item> existing = child(s, parent.id(), name);
        if (existing.isPresent()) {
            switch (conflict) {
                case "replace" -> removeTree(s, existing.get());
                case "rename" -> name = freeName(s, parent.id(), name);
                default -> throw nameExists();
            }
        }
        Instant now = now();
        Item folder = new Item(newItemId(s), driveId, parent.id(), name, true, 0, newGuid(), 1, 1, now, now, actor,
                actor, null, null, null, ++s.seq, null);
        s.items.put(folder);
        return folder;
    }

    /** Content on its way in: a temporary file with its size and hash, not yet part of any drive. */
    public record Staged(Path file, long size, String quickXorHash) {
    }

    /**
     * A new, empty file beside the drives' content for content on its way in: publishing it is a rename, never a
     * copy (a system temporary folder is often another file system, such as a tmpfs).
     */
    public Path newIncomingFile() throws IOException {
        Path temp = incomingPath();
        io.docbridge.emulator.PrivateFiles.newFile(temp).close();
        return temp;
    }

    /** Where the next content on its way in goes; what a restart finds there is removed (see the constructor). */
    private Path incomingPath() {
        return contentDir.resolve(INCOMING + UUID.randomUUID());
    }

    private static final String INCOMING = "incoming-";

    /** Streams content to a temporary file, hashing as it goes; never holds it in memory. */
    public Staged stage(InputStream in) {
        Path temp = incomingPath();
        try (OutputStream out = io.docbridge.emulator.PrivateFiles.newFile(temp)) {
            QuickXorHash hash = new QuickXorHash();
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                hash.update(buffer, 0, n);
                size += n;
            }
            return new Staged(temp, size, hash.digest());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes staged content as a file named {@code name} in a folder, creating it or replacing the content of the
     * existing one per {@code conflict} (fail, replace, rename). Returns the item and whether it was created.
     */
    public Written commitFile(String driveId, String parentId, String name, Staged staged, String conflict,
                              Actor actor) {
        return commitFile(driveId, parentId, name, staged, conflict, actor, null);
    }

    /** {@link #commitFile(String, String, String, Staged, String, Actor)} with the client's fileSystemInfo times. */
    public synchronized Written commitFile(String driveId, String parentId, String name, Staged staged, String conflict,
                                           Actor actor, FileTimes times) {
        DriveState s = state(driveId);
        try {
            Item parent = folder(s, parentId);
            checkName(s, parent, name);
            Optional<Item> existing = child(s, parent.id(), name);
            if (existing.isPresent() && existing.get().folder() && !conflict.equals("rename")) {
                throw nameExists();
            }
            if (existing.isPresent() && conflict.equals("fail")) {
                throw nameExists();
            }
            long growth = staged.size() - (existing.isPresent() && conflict.equals("replace") ? existing.get().size() : 0);
            if (used(driveId) + growth > s.drive.quotaTotal()) {
                throw new GraphException(507, "quotaLimitReached", "Insufficient Space Available");
            }
            if (existing.isPresent() && conflict.equals("replace")) {
                return new Written(replaceContent(s, existing.get(), staged, actor, times), false);
            }
            String finalName = existing.isPresent() ? freeName(s, parent.id(), name) : name;
            Instant now = now();
            String id = newItemId(s);
            staged = maybeRewrite(finalName, staged);
            Path content = publish(staged, id, 1);
            Item file = new Item(id, driveId, parent.id(), finalName, false, staged.size(), newGuid(), 1, 1, now, now,
                    actor, actor, mimeType(finalName), staged.quickXorHash(), content, ++s.seq, times);
            s.items.put(file);
            return new Written(file, true);
        } finally {
            deleteQuietly(staged.file());
        }
    }

    /** An item written by {@link #commitFile}, and whether it is new. */
    public record Written(Item item, boolean created) {
    }

    /**
     * Replaces a file's content (PUT on an item id, or an upload session for it); {@code ifMatch} (an eTag or cTag),
     * when given, must still match when the content lands.
     */
    public synchronized Item replaceContent(String driveId, String itemId, Staged staged, Actor actor, FileTimes times,
                                            String ifMatch) {
        DriveState s = state(driveId);
        try {
            Item item = item(driveId, itemId);
            checkIfMatch(item, ifMatch);
            if (item.folder()) {
                throw new GraphException(400, "invalidRequest", "Cannot upload content to a folder.");
            }
            if (used(driveId) + staged.size() - item.size() > s.drive.quotaTotal()) {
                throw new GraphException(507, "quotaLimitReached", "Insufficient Space Available");
            }
            return replaceContent(s, item, staged, actor, times);
        } finally {
            deleteQuietly(staged.file());
        }
    }

    private Item replaceContent(DriveState s, Item item, Staged staged, Actor actor, FileTimes times) {
        staged = maybeRewrite(item.name(), staged);
        Path content = publish(staged, item.id(), item.contentVersion() + 1);
        deleteQuietly(item.content());
        Item replaced = new Item(item.id(), item.driveId(), item.parentId(), item.name(), false, staged.size(),
                item.guid(), item.version() + 1, item.contentVersion() + 1, item.created(), now(), item.createdBy(),
                actor, item.mimeType(), staged.quickXorHash(), content, ++s.seq,
                // new content without a client time changed now; its creation time stays
                FileTimes.merge(new FileTimes(item.fileCreated(), null), times));
        s.items.put(replaced);
        return replaced;
    }

    /**
     * Renames and/or moves an item, and/or sets its fileSystemInfo times; {@code ifMatch} (an eTag or cTag) must
     * match when given.
     */
    public synchronized Item update(String driveId, String itemId, String newName, String newParentId, String ifMatch,
                                    String conflict, Actor actor, FileTimes times) {
        DriveState s = state(driveId);
        Item item = item(driveId, itemId);
        checkIfMatch(item, ifMatch);
        if (item.parentId() == null && (newName != null || newParentId != null)) {
            throw new GraphException(400, "invalidRequest", "The root of a drive cannot be renamed or moved.");
        }
        if (item.parentId() == null) {
            Item touched = new Item(item.id(), driveId, null, item.name(), true, item.size(), item.guid(),
                    item.version() + 1, item.contentVersion(), item.created(), now(), item.createdBy(), actor, null,
                    null, null, ++s.seq, FileTimes.merge(item.clientTimes(), times));
            s.items.put(touched);
            return touched;
        }
        Item parent = newParentId == null ? s.items.get(item.parentId()) : folder(s, newParentId);
        String name = newName == null ? item.name() : newName;
        for (Item p = parent; p != null; p = p.parentId() == null ? null : s.items.get(p.parentId())) {
            if (p.id().equals(item.id())) {
                throw new GraphException(400, "invalidRequest", "An item cannot be moved into itself.");
            }
        }
        if (!name.equals(item.name()) || !parent.id().equals(item.parentId())) {
            checkName(s, parent, name);
            Optional<Item> clash = child(s, parent.id(), name).filter(c -> !c.id().equals(item.id()));
            if (clash.isPresent()) {
                switch (conflict == null ? "fail" : conflict) {
                    case "replace" -> removeTree(s, clash.get());
                    case "rename" -> name = freeName(s, parent.id(), name);
                    default -> throw nameExists();
                }
            }
        }
        Item moved = new Item(item.id(), driveId, parent.id(), name, item.folder(), item.size(), item.guid(),
                item.version() + 1, item.contentVersion(), item.created(), now(), item.createdBy(), actor,
                item.mimeType(), item.quickXorHash(), item.content(), ++s.seq,
                FileTimes.merge(item.clientTimes(), times));
        s.items.put(moved);
        return moved;
    }

    /**
     * Copies an item (a folder with all it holds) into a folder, possibly in another drive; the copy's times are
     * now, as Graph's are. Returns the new top item.
     */
    public synchronized Item copy(String driveId, String itemId, String targetDriveId, String targetParentId,
                                  String newName, String conflict, Actor actor) {
        DriveState source = state(driveId);
        DriveState target = state(targetDriveId);
        Item item = item(driveId, itemId);
        Item parent = folder(target, targetParentId);
        String name = newName == null ? item.name() : newName;
        checkName(target, parent, name);
        Optional<Item> clash = child(target, parent.id(), name);
        if (clash.isPresent()) {
            switch (conflict == null ? "fail" : conflict) {
                case "replace" -> removeTree(target, clash.get());
                case "rename" -> name = freeName(target, parent.id(), name);
                default -> throw nameExists();
            }
        }
        if (!item.folder() && used(targetDriveId) + item.size() > target.drive.quotaTotal()) {
            throw new GraphException(507, "quotaLimitReached", "Insufficient Space Available");
        }
        return copyTree(source, item, target, parent.id(), name, actor);
    }

    private Item copyTree(DriveState source, Item item, DriveState target, String parentId, String name, Actor actor) {
        Instant now = now();
        String id = newItemId(target);
        Path content = null;
        if (!item.folder()) {
            content = contentDir.resolve(id + ".1");
            try {
                try (OutputStream out = io.docbridge.emulator.PrivateFiles.newFile(content)) {
                    Files.copy(item.content(), out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Item copy = new Item(id, target.drive.id(), parentId, name, item.folder(), item.size(), newGuid(), 1, 1, now,
                now, actor, actor, item.mimeType(), item.quickXorHash(), content, ++target.seq, item.clientTimes());
        target.items.put(copy);
        if (item.folder()) {
            for (Item child : source.items.children(item.id())) {
                copyTree(source, child, target, id, child.name(), actor);
            }
        }
        return copy;
    }

    public synchronized void delete(String driveId, String itemId, String ifMatch) {
        DriveState s = state(driveId);
        Item item = item(driveId, itemId);
        checkIfMatch(item, ifMatch);
        if (item.parentId() == null) {
            throw new GraphException(403, "accessDenied", "The root of a drive cannot be deleted.");
        }
        removeTree(s, item);
    }

    private void removeTree(DriveState s, Item item) {
        for (Item child : s.items.children(item.id())) {
            removeTree(s, child);
        }
        s.items.remove(item.id());
        deleteQuietly(item.content());
        s.tombstones.put(item.id(), new Tombstone(item.id(), item.parentId(), item.folder(), ++s.seq));
    }

    // ---- delta ----

    /** The drive's change-log position and token generation, for delta tokens. */
    public record Position(long seq, long generation) {
    }

    public synchronized Position position(String driveId) {
        DriveState s = state(driveId);
        return new Position(s.seq, s.generation);
    }

    /** Makes every delta token of the drive invalid (the next use gets 410 resyncRequired). */
    public synchronized void invalidateDeltaTokens(String driveId) {
        state(driveId).generation++;
    }

    /** One entry of a delta answer: a live item or a tombstone. */
    public record Change(Item item, Tombstone deleted) {
        public String id() {
            return item != null ? item.id() : deleted.id();
        }
    }

    /**
     * What changed after {@code sinceSeq} (0: everything there is), each with all its ancestors up to the root, parents
     * before children, then deletions. Latest state only.
     */
    public synchronized List<String> changedIds(String driveId, long sinceSeq) {
        DriveState s = state(driveId);
        Set<String> ids = new LinkedHashSet<>();
        List<Item> changed = List.copyOf(s.items.changedAfter(sinceSeq));
        for (Item item : changed) {
            List<String> chain = new ArrayList<>();
            for (Item p = item; p != null; p = p.parentId() == null ? null : s.items.get(p.parentId())) {
                chain.add(0, p.id());
            }
            ids.addAll(chain);
        }
        List<String> ordered = new ArrayList<>(ids);
        ordered.sort(Comparator.comparingInt((String id) -> depth(s, id)).thenComparing(id -> s.items.get(id).seq()));
        if (sinceSeq > 0) {
            s.tombstones.values().stream().filter(t -> t.seq() > sinceSeq)
                    .sorted(Comparator.comparingLong(Tombstone::seq)).forEach(t -> ordered.add(t.id()));
        }
        return ordered;
    }

    /** The current state of an id listed by {@link #changedIds}: the item, or its tombstone. */
    public synchronized Change change(String driveId, String id) {
        DriveState s = state(driveId);
        Item item = s.items.get(id);
        if (item != null) {
            return new Change(item, null);
        }
        Tombstone t = s.tombstones.get(id);
        return new Change(null, t != null ? t : new Tombstone(id, null, false, s.seq));
    }

    private static int depth(DriveState s, String id) {
        int depth = 0;
        for (Item p = s.items.get(id); p != null && p.parentId() != null; p = s.items.get(p.parentId())) {
            depth++;
        }
        return depth;
    }

    // ---- helpers ----

    private DriveState state(String driveId) {
        return drives.values().stream().filter(s -> s.drive.id().equalsIgnoreCase(driveId)).findFirst()
                .orElseThrow(GraphException::itemNotFound);
    }

    private Item folder(DriveState s, String id) {
        Item item = s.items.get(id.equalsIgnoreCase("root") ? s.rootId : id);
        if (item == null) {
            throw GraphException.itemNotFound();
        }
        if (!item.folder()) {
            throw new GraphException(400, "invalidRequest", "The parent item is not a folder.");
        }
        return item;
    }

    private static Optional<Item> child(DriveState s, String parentId, String name) {
        return s.items.child(parentId, name);
    }

    /** The naming rules of OneDrive for Business and SharePoint (https://support.microsoft.com/office/64883a5d-228e-48f5-b3d2-eb39e07630fa). */
    private void checkName(DriveState s, Item parent, String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (name == null || name.isEmpty() || INVALID.matcher(name).find() || !name.equals(name.strip())
                || name.endsWith(".") || name.startsWith("~$") || lower.contains("_vti_") || RESERVED.contains(lower)
                || lower.matches("(com|lpt)[0-9](\\..*)?") || lower.matches("(con|prn|aux|nul)\\..*")
                || name.chars().anyMatch(c -> c < 32)) {
            throw new GraphException(400, "invalidRequest", "The provided name contains invalid characters or is "
                    + "not allowed: '" + name + "'.", "nameContainsInvalidCharacters");
        }
        String path = parentPath(new Item("x", s.drive.id(), parent.id(), name, false, 0, "", 0, 0, null, null, null,
                null, null, null, null, 0, null)).replaceFirst("^/drives/[^/]+/root:", "") + "/" + name;
        if (path.length() >= 400) {
            throw new GraphException(400, "invalidRequest", "The path is too long: a path, including the file name, "
                    + "must be shorter than 400 characters.", "pathIsTooLong");
        }
    }

    static void checkIfMatch(Item item, String ifMatch) {
        if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(item.eTag()) && !ifMatch.equals(item.cTag())) {
            throw new GraphException(412, "resourceModified", "ETag does not match current item's value",
                    "entityTagDoesNotMatch");
        }
    }

    private static String freeName(DriveState s, String parentId, String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            String candidate = base + " " + i + ext;
            if (child(s, parentId, candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    private static GraphException nameExists() {
        return new GraphException(409, "nameAlreadyExists", "The specified item name already exists.");
    }

    private Path publish(Staged staged, String itemId, long contentVersion) {
        Path target = contentDir.resolve(itemId + "." + contentVersion);
        try {
            return Files.move(staged.file(), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a stray content file costs disk, not correctness
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** SharePoint and OneDrive for work: "01" and 32 more characters; personal OneDrive: "{driveId}!{n}". */
    private static String newItemId(DriveState s) {
        if (!s.drive.driveType().equals("personal")) {
            return "01" + randomId(32, ID_CHARS);
        }
        String id;
        do {
            id = s.drive.id() + "!" + (101 + random.nextInt(Integer.MAX_VALUE - 101));
        } while (s.items.get(id) != null || s.tombstones.containsKey(id));
        return id;
    }

    private static String newGuid() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    private static String randomId(int length, String alphabet) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static String mimeType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Map<String, String> types = Map.of(".pdf", "application/pdf", ".txt", "text/plain", ".docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".png", "image/png", ".jpg",
                "image/jpeg", ".json", "application/json", ".html", "text/html", ".dwg", "image/vnd.dwg");
        return types.entrySet().stream().filter(e -> lower.endsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse("application/octet-stream");
    }
}
