package io.docbridge.host.web;

import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.DriveChange;
import io.docbridge.api.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.host.drives.FileIndex;
import io.docbridge.api.PluginException;
import io.docbridge.host.auth.User;
import io.docbridge.host.drives.DriveRecord;
import io.docbridge.host.drives.ExternalDrives;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;

/**
 * My Files: the external drives a person connected, their folders from the index that sync keeps, downloads,
 * Sync Now and Disconnect (which never touches the remote files). A person sees only their own drives.
 */
public final class FilesServlet extends PageServlet {
    private static final long serialVersionUID = 1L;
    private static final String ID = "([0-9a-f-]{36})";

    private final transient ExternalDrives drives;
    private final transient FileIndex index;
    private final transient PluginSystem plugins;

    public FilesServlet(Pages pages, ExternalDrives drives, FileIndex index, PluginSystem plugins) {
        super(pages);
        this.drives = drives;
        this.index = index;
        this.plugins = plugins;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/files", this::list)
                || r.get("/files/add", this::types)
                || r.get("/files/add/([\\w.-]+)", this::form)
                || r.post("/files/add/([\\w.-]+)", this::create)
                || r.get("/files/" + ID, (req, resp, m) -> folder(req, resp, visible(req, m.group(1)), null))
                || r.get("/files/" + ID + "/folders/([^/]+)", (req, resp, m) -> folder(req, resp,
                        visible(req, m.group(1)), segment(m, 2)))
                || r.get("/files/" + ID + "/items/([^/]+)/download", this::download)
                || r.post("/files/" + ID + "/sync", this::sync)
                || r.post("/files/" + ID + "/confirm-removals", this::confirmRemovals)
                || r.post("/files/" + ID + "/interval", this::interval)
                || r.get("/files/" + ID + "/reconnect", this::reconnect)
                || r.get("/files/" + ID + "/reconnected", this::reconnected)
                || r.post("/files/" + ID + "/folders/([^/]+)/new-folder", this::newFolder)
                || r.post("/files/" + ID + "/folders/([^/]+)/upload", this::upload)
                || r.post("/files/" + ID + "/items/([^/]+)/rename", this::rename)
                || r.post("/files/" + ID + "/items/([^/]+)/replace", this::replace)
                || r.get("/files/" + ID + "/items/([^/]+)/delete", this::confirmDelete)
                || r.post("/files/" + ID + "/items/([^/]+)/delete", this::delete)
                || r.post("/files/" + ID + "/folders/([^/]+)/selected", this::selected)
                || r.post("/files/" + ID + "/items/([^/]+)/move", this::move)
                || r.get("/files/" + ID + "/disconnect", this::confirmDisconnect)
                || r.post("/files/" + ID + "/disconnect", this::disconnect);
    }

    /** A path segment as the item or folder id it encodes (personal OneDrive ids carry a "!", which links escape). */
    private static String segment(Matcher m, int group) {
        return URLDecoder.decode(m.group(group).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A drive the signed-in person sees (theirs, or the organisation's); anyone else's is "not found". */
    private DriveRecord visible(HttpServletRequest req, String id) {
        User user = Web.requireUser(req);
        return found(drives.find(id).filter(d -> d.visibleTo(user.id())));
    }

    private static boolean mayChange(HttpServletRequest req, DriveRecord drive) {
        User user = Web.requireUser(req);
        return drive.changeableBy(user.id(), user.orgAdmin());
    }

    /** A drive the signed-in person may change: theirs, or the organisation's if they administer it. */
    private DriveRecord own(HttpServletRequest req, String id) {
        DriveRecord drive = visible(req, id);
        if (!mayChange(req, drive)) {
            throw new PluginException(ErrorKind.ACCESS_DENIED, "\"" + drive.name()
                    + "\" is shared with everyone by your organisation and only its administrators change it here. "
                    + "Open the file in " + drive.typeName() + ", where your own permissions apply");
        }
        return drive;
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "files.ftlh", Map.of("drives", drives.forUser(Web.requireUser(req).id()),
                "available", !drives.offered().isEmpty()));
    }

    private void types(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "files-types.ftlh", Map.of("types", drives.offered()));
    }

    private static TypeForm.Place place(ExternalDriveType type) {
        return new TypeForm.Place("Add " + type.displayName(), "/files/add/" + type.id(), "/files", "files",
                "How the drive is shown in My Files.");
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Optional<ExternalDriveType> type = drives.offeredType(m.group(1));
        if (type.isEmpty()) {
            pages.render(req, resp, 503, "error.ftlh", Map.of("heading", "Integration not available",
                    "message", "Integration not available — ask your administrator."));
            return;
        }
        TypeForm.render(pages, plugins, req, resp, 200, type.get(),
                TypeForm.prefill(type.get(), req, type.get().displayName()), Map.of(), place(type.get()));
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ExternalDriveType type = found(drives.type(m.group(1)));
        TypeForm.submit(pages, plugins, req, resp, type, place(type), "was added; its files are syncing.",
                (name, submitted) -> "/files/" + drives.create(Web.requireUser(req), type.id(), name, submitted));
    }

    /** How a folder's list may be ordered: the column a person clicked. */
    private static final Map<String, FileIndex.Order> ORDERS = Map.of("name", FileIndex.Order.NAME,
            "size", FileIndex.Order.SIZE, "modified", FileIndex.Order.MODIFIED);
    /** A folder's items per page: a folder of 50,000 shows its first 200 as fast as a folder of 20. */
    static final int PAGE = 200;

    private void folder(HttpServletRequest req, HttpServletResponse resp, DriveRecord drive, String folderId)
            throws Exception {
        String folder = folderId == null ? drive.rootId() : folderId;
        Optional<DriveItem> current = folderId == null ? Optional.empty() : index.item(drive.id(), folderId);
        if (folderId != null && current.isEmpty()) {
            throw new NotFoundException();
        }
        String sort = Optional.ofNullable(req.getParameter("sort")).filter(ORDERS::containsKey).orElse("name");
        boolean descending = "desc".equals(req.getParameter("dir"));
        String filter = Optional.ofNullable(req.getParameter("q")).map(String::trim).orElse("");
        int page = Optional.ofNullable(req.getParameter("page")).filter(p -> p.matches("\\d{1,6}"))
                .map(Integer::parseInt).filter(p -> p > 0).orElse(1);
        // Folders first, then by the chosen column, ordered and cut in the database; one more than a page says
        // whether there is a next one.
        List<DriveItem> items = index.page(drive.id(), folder, ORDERS.get(sort), descending, filter,
                (page - 1) * PAGE, PAGE + 1);
        Map<String, Object> model = new java.util.HashMap<>();
        model.put("drive", drive);
        model.put("items", items.subList(0, Math.min(PAGE, items.size())));
        model.put("page", page);
        model.put("hasNext", items.size() > PAGE);
        model.put("firstNumber", (page - 1) * PAGE + 1);
        model.put("folderId", folder);
        model.put("intervals", ExternalDrives.SYNC_INTERVALS);
        model.put("folderName", current.map(DriveItem::name).orElse(""));
        model.put("crumbs", ancestors(drive, current));
        model.put("upId", current.map(DriveItem::parentId).orElse(""));
        model.put("folders", index.childFolders(drive.id(), folder));
        model.put("sort", sort);
        model.put("dir", descending ? "desc" : "asc");
        model.put("q", filter);
        model.put("canChange", mayChange(req, drive));
        model.put("canDownload", drives.policy().downloads());
        pages.render(req, resp, "folder.ftlh", model);
    }

    /** The folders from the drive's root down to the one shown (not included), for the breadcrumb. */
    private List<DriveItem> ancestors(DriveRecord drive, Optional<DriveItem> current) {
        java.util.LinkedList<DriveItem> path = new java.util.LinkedList<>();
        String parent = current.map(DriveItem::parentId).orElse(null);
        // Bounded: a cycle in a corrupt index must not hang the page.
        for (int depth = 0; parent != null && !parent.equals(drive.rootId()) && depth < 64; depth++) {
            Optional<DriveItem> folder = index.item(drive.id(), parent);
            if (folder.isEmpty()) {
                break;
            }
            path.addFirst(folder.get());
            parent = folder.get().parentId();
        }
        return path;
    }

    private void download(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = visible(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)).filter(i -> !i.folder()));
        if (!drives.policy().downloads()) {
            pages.render(req, resp, 403, "error.ftlh", Map.of("heading", "Downloads are turned off",
                    "message", "Your administrator turned off downloads from external drives. Open the file in "
                            + drive.typeName() + " instead."));
            return;
        }
        try (InputStream in = drives.drive(drive.id()).download(item.id())) {
            resp.setContentType("application/octet-stream");
            resp.setHeader("Content-Disposition", DocumentsServlet.attachment(item.name()));
            resp.setHeader("Cache-Control", "private, no-store");
            // No Content-Length: the index's size is as of the last sync, and the file may have changed since.
            Web.sendFile(in, resp, -1, "item " + item.id() + " of drive " + drive.id());
        }
    }

    private String folderPath(DriveRecord drive, String folderId) {
        return "/files/" + drive.id() + (folderId.equals(drive.rootId()) ? "" : "/folders/"
                + URLEncoder.encode(folderId, StandardCharsets.UTF_8));
    }

    /** Runs a change in the drive; its failure becomes a message on the folder page, in the words of its kind. */
    private void act(HttpServletRequest req, HttpServletResponse resp, DriveRecord drive, String folderId,
                     Callable<String> action) throws Exception {
        try {
            Web.flash(req, "success", action.call());
        } catch (PluginException e) {
            Web.flash(req, "error", e.kind().title() + ": " + Web.explain(e));
        } catch (InputException e) {
            Web.flash(req, "error", e.getMessage());
        }
        Web.redirect(req, resp, folderPath(drive, folderId));
    }

    private static String name(HttpServletRequest req) {
        String name = Optional.ofNullable(req.getParameter("name")).orElse("").trim();
        if (name.isEmpty() || name.length() > 255) {
            throw new InputException("name", "A name has 1 to 255 characters.");
        }
        return name;
    }

    private void newFolder(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        String parent = segment(m, 2);
        act(req, resp, drive, parent, () -> {
            DriveItem folder = drives.drive(drive.id()).createFolder(parent, name(req),
                    ConflictBehavior.FAIL);
            drives.changed(drive.id(), DriveChange.upserted(folder));
            return "Folder \"" + folder.name() + "\" created.";
        });
    }

    /** One file per part named "file" (a browser without script sends all it was given in one request). */
    private void upload(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        String parent = segment(m, 2);
        act(req, resp, drive, parent, () -> {
            List<Part> files = req.getParts().stream().filter(p -> p.getName().equals("file")
                    && p.getSubmittedFileName() != null && !p.getSubmittedFileName().isBlank()).toList();
            if (files.isEmpty()) {
                throw new InputException("file", "Choose a file to upload.");
            }
            List<String> names = new java.util.ArrayList<>();
            try {
                for (Part part : files) {
                    String fileName = part.getSubmittedFileName();
                    fileName = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
                    try (InputStream in = part.getInputStream()) {
                        DriveItem uploaded = drives.drive(drive.id()).upload(parent, fileName, in, part.getSize(),
                                ConflictBehavior.RENAME, files.size() == 1 ? Web.fileModified(req) : null);
                        drives.changed(drive.id(), DriveChange.upserted(uploaded));
                        names.add("\"" + uploaded.name() + "\"");
                    }
                }
            } catch (PluginException e) {
                if (names.isEmpty()) {
                    throw e;
                }
                throw new PluginException(e.kind(), String.join(", ", names) + " uploaded; the rest stopped: "
                        + e.getMessage(), e);
            } finally {
                for (Part part : files) {
                    part.delete();
                }
            }
            return String.join(", ", names) + " uploaded.";
        });
    }

    /**
     * Upload new version: replaces a file only if it is still the version the page showed. If someone changed it in
     * the drive since, nothing is written and the person chooses: keep both (the upload gets a free name), replace
     * theirs (knowing it is newer), or cancel.
     */
    private void replace(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)));
        Part file = req.getPart("file");
        String version = Optional.ofNullable(req.getParameter("version")).orElse("");
        boolean keepBoth = "keep-both".equals(req.getParameter("choice"));
        if (file == null || file.getSubmittedFileName() == null || file.getSubmittedFileName().isBlank()) {
            act(req, resp, drive, item.parentId(), () -> {
                throw new InputException("file", "Choose the file to upload as the new version of \"" + item.name()
                        + "\".");
            });
            return;
        }
        try (InputStream in = file.getInputStream()) {
            DriveItem stored = keepBoth
                    ? drives.drive(drive.id()).upload(item.parentId(), item.name(), in, file.getSize(),
                            ConflictBehavior.RENAME, Web.fileModified(req))
                    : drives.drive(drive.id()).replace(item.id(), in, file.getSize(), version, Web.fileModified(req));
            drives.changed(drive.id(), DriveChange.upserted(stored));
            Web.flash(req, "success", keepBoth ? "Both kept: yours is \"" + stored.name() + "\"."
                    : "New version of \"" + stored.name() + "\" uploaded.");
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.CHANGED_SINCE_READ) {
                Web.flash(req, "error", e.kind().title() + ": " + Web.explain(e));
            } else {
                changedSinceRead(req, resp, drive, item, e);
                return;
            }
        } finally {
            file.delete();
        }
        Web.redirect(req, resp, folderPath(drive, item.parentId()));
    }

    /** The choice after a refused replace, with what the file is now (read from the drive, not the index). */
    private void changedSinceRead(HttpServletRequest req, HttpServletResponse resp, DriveRecord drive, DriveItem item,
                                  PluginException e) throws Exception {
        Map<String, Object> model = new java.util.HashMap<>();
        try {
            drives.drive(drive.id()).children(item.parentId()).stream().filter(c -> c.id().equals(item.id()))
                    .findFirst().ifPresent(current -> {
                        model.put("current", current);
                        drives.changed(drive.id(), DriveChange.upserted(current));
                    });
        } catch (PluginException unreadable) {
            // without the current version the page offers keep both and cancel only
        }
        model.put("heading", "\"" + item.name() + "\" changed in " + drive.typeName() + " since you opened it");
        model.put("message", e.getMessage());
        model.put("drive", drive);
        model.put("action", "/files/" + drive.id() + "/items/" + URLEncoder.encode(item.id(), StandardCharsets.UTF_8)
                + "/replace");
        model.put("back", folderPath(drive, item.parentId()));
        pages.render(req, resp, 409, "changed.ftlh", model);
    }

    private void rename(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)));
        act(req, resp, drive, item.parentId(), () -> {
            DriveItem renamed = drives.drive(drive.id()).move(item.id(), null, name(req));
            drives.changed(drive.id(), DriveChange.upserted(renamed));
            return "Renamed to \"" + renamed.name() + "\".";
        });
    }

    /** Moves an item into a folder the page offered: one level up, or a folder beside it. */
    private void move(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)));
        String to = Optional.ofNullable(req.getParameter("to")).orElse("");
        boolean folder = to.equals(drive.rootId()) || index.item(drive.id(), to).map(DriveItem::folder).orElse(false);
        act(req, resp, drive, item.parentId(), () -> {
            if (!folder || to.equals(item.id())) {
                throw new InputException("to", "Choose a folder to move \"" + item.name() + "\" to.");
            }
            DriveItem moved = drives.drive(drive.id()).move(item.id(), to, null);
            drives.changed(drive.id(), DriveChange.upserted(moved));
            return "Moved \"" + moved.name() + "\" to "
                    + (to.equals(drive.rootId()) ? drive.name() : index.item(drive.id(), to).orElseThrow().name()) + ".";
        });
    }

    private void confirmDelete(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)));
        pages.render(req, resp, "confirm.ftlh", Map.of("heading", "Delete \"" + item.name() + "\"?",
                "message", (item.folder() ? "The folder and everything in it go" : "The file goes") + " to the recycle "
                        + "bin of " + drive.typeName() + ", where it can be restored.",
                "action", "/files/" + drive.id() + "/items/" + URLEncoder.encode(item.id(), StandardCharsets.UTF_8)
                        + "/delete", "button", "Delete", "danger", true, "back", folderPath(drive, item.parentId())));
    }

    /**
     * The selected items of a folder: Delete asks first (a page listing them, whose button posts again with
     * {@code confirmed}); Move goes at once. Each item is done on its own, and the message says which failed and why.
     */
    private void selected(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        String folder = segment(m, 2);
        List<DriveItem> chosen = Optional.ofNullable(req.getParameterValues("item")).map(List::of).orElse(List.of())
                .stream().distinct().limit(500).map(id -> index.item(drive.id(), id))
                .flatMap(Optional::stream).filter(i -> folder.equals(i.parentId())).toList();
        String action = Optional.ofNullable(req.getParameter("action")).orElse("");
        if (chosen.isEmpty()) {
            Web.flash(req, "error", "Select one or more items first.");
            Web.redirect(req, resp, folderPath(drive, folder));
            return;
        }
        if (action.equals("delete") && req.getParameter("confirmed") == null) {
            pages.render(req, resp, "confirm-selected.ftlh", Map.of("drive", drive, "items", chosen,
                    "action", "/files/" + drive.id() + "/folders/" + URLEncoder.encode(folder, StandardCharsets.UTF_8)
                            + "/selected", "back", folderPath(drive, folder)));
            return;
        }
        String to = Optional.ofNullable(req.getParameter("to")).orElse("");
        if (action.equals("move") && !(to.equals(drive.rootId())
                || index.item(drive.id(), to).map(DriveItem::folder).orElse(false))) {
            Web.flash(req, "error", "Choose a folder to move the selected items to.");
            Web.redirect(req, resp, folderPath(drive, folder));
            return;
        }
        if (!action.equals("delete") && !action.equals("move")) {
            throw new NotFoundException();
        }
        var done = new java.util.ArrayList<String>();
        var failed = new java.util.ArrayList<String>();
        for (DriveItem item : chosen) {
            try {
                if (action.equals("delete")) {
                    drives.drive(drive.id()).delete(item.id());
                    drives.changed(drive.id(), DriveChange.deleted(item.id()));
                } else if (!item.id().equals(to)) {
                    drives.changed(drive.id(), DriveChange.upserted(drives.drive(drive.id()).move(item.id(), to, null)));
                }
                done.add(item.name());
            } catch (PluginException e) {
                failed.add("\"" + item.name() + "\": " + Web.explain(e));
            }
        }
        String verb = action.equals("delete") ? "deleted (they are in the recycle bin of " + drive.typeName() + ")"
                : "moved";
        if (!done.isEmpty()) {
            Web.flash(req, "success", done.size() + " item(s) " + verb + ".");
        }
        if (!failed.isEmpty()) {
            Web.flash(req, "error", failed.size() + " item(s) could not be " + (action.equals("delete") ? "deleted"
                    : "moved") + ": " + String.join(" ", failed));
        }
        Web.redirect(req, resp, folderPath(drive, folder));
    }

    private void delete(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        DriveItem item = found(index.item(drive.id(), segment(m, 2)));
        act(req, resp, drive, item.parentId(), () -> {
            drives.drive(drive.id()).delete(item.id());
            drives.changed(drive.id(), DriveChange.deleted(item.id()));
            return "\"" + item.name() + "\" was deleted (it is in the recycle bin of " + drive.typeName() + ").";
        });
    }

    private void sync(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = visible(req, m.group(1));
        Web.flash(req, "info", drives.syncNow(drive.id()) ? "Sync started." : "A sync is already running.");
        Web.redirect(req, resp, "/files/" + drive.id());
    }

    /** Reconnect: the drive's plugin signs it in again, then hands back to {@code reconnected}. */
    private void reconnect(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        SetupSessions.reconnect(req, resp, found(drives.type(drive.typeId())), setup -> drives.reconnectPath(
                drive.id(), setup), plugins, drive.organisation(), "/files/" + drive.id() + "/reconnected",
                "/files/" + drive.id());
    }

    /** Back from signing in again. */
    private void reconnected(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        // Where the sign-in returns: a GET, so it changes nothing itself; the person (or the schedule) syncs.
        DriveRecord drive = own(req, m.group(1));
        Web.flash(req, "success", "Signed in again. Choose Sync Now to catch up, or wait for the next scheduled sync.");
        Web.redirect(req, resp, "/files/" + drive.id());
    }

    private void interval(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        String minutes = Optional.ofNullable(req.getParameter("minutes")).orElse("");
        try {
            drives.setSyncInterval(drive.id(), minutes.matches("\\d{1,5}") ? Integer.parseInt(minutes) : -1);
            Web.flash(req, "success", "Sync interval saved.");
        } catch (InputException e) {
            Web.flash(req, "error", e.getMessage());
        }
        Web.redirect(req, resp, "/files/" + drive.id());
    }

    private void confirmRemovals(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        drives.confirmRemovals(drive.id());
        Web.flash(req, "info", "Sync started: the removed items leave My Files. Nothing is deleted in "
                + drive.typeName() + ".");
        Web.redirect(req, resp, "/files/" + drive.id());
    }

    private void confirmDisconnect(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        pages.render(req, resp, "confirm.ftlh", Map.of("heading", "Disconnect \"" + drive.name() + "\"?",
                "message", "Docbridge forgets this drive, its sign-in and its synced list. Your files in "
                        + drive.typeName() + " are not touched.",
                "action", "/files/" + drive.id() + "/disconnect", "button", "Disconnect", "danger", true,
                "back", "/files/" + drive.id()));
    }

    private void disconnect(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DriveRecord drive = own(req, m.group(1));
        drives.disconnect(drive.id());
        Web.flash(req, "success", "\"" + drive.name() + "\" was disconnected. Your files in " + drive.typeName()
                + " were not touched.");
        Web.redirect(req, resp, "/files");
    }
}
