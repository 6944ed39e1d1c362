package io.docbridge.emulator.graph;

import static io.docbridge.emulator.graph.Wire.ISO;
import static io.docbridge.emulator.graph.Wire.JSON;
import static io.docbridge.emulator.graph.Wire.base;
import static io.docbridge.emulator.graph.Wire.intParam;
import static io.docbridge.emulator.graph.Wire.notAllowed;
import static io.docbridge.emulator.graph.Wire.ok;
import static io.docbridge.emulator.graph.Wire.readJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.graph.DriveStore.Drive;
import io.docbridge.emulator.graph.DriveStore.Item;
import io.docbridge.emulator.graph.DriveStore.Site;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.emulator.identity.TokenIssuer;
import io.docbridge.emulator.graph.GraphAccess.Caller;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The graph.microsoft.com stand-in for users, drives, sites and items (https://learn.microsoft.com/en-us/graph/api/resources/driveitem): addressing by
 * id and by path, children with paging, folders with conflict behaviour, simple upload, download through a
 * pre-authenticated URL with Range, rename and move with If-Match, delete, upload sessions, and delta. Every answer
 * and error is in Graph's JSON shape; URLs handed out use the host the client called.
 */
public final class GraphServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient DriveStore store;
    private final transient Directory directory;
    private final transient Clock clock;
    private final transient Faults faults;
    private final transient Downloads downloads;
    private final transient Copies copies;
    private final transient Representations json;
    private final transient UploadSessions uploads;
    private final transient DeltaFeed delta;
    private final transient GraphAccess access;

    private final transient List<String> hostNames;
    private final transient Subscriptions subscriptions;

    /**
     * @param hostNames the names this emulator answers to; pre-authenticated links use one other than the caller's
     */
    public GraphServlet(DriveStore store, Directory directory, TokenIssuer issuer, Clock clock, Faults faults,
                        List<String> hostNames, Subscriptions subscriptions) {
        this.hostNames = List.copyOf(hostNames);
        this.subscriptions = subscriptions;
        this.downloads = new Downloads(store, clock, faults, this.hostNames);
        this.copies = new Copies(store, clock, this.hostNames);
        this.json = new Representations(store, downloads);
        this.store = store;
        this.directory = directory;
        this.clock = clock;
        this.faults = faults;
        this.uploads = new UploadSessions(store, clock, faults, json, this.hostNames);
        this.delta = new DeltaFeed(store, json, clock);
        this.access = new GraphAccess(store, directory, issuer);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = Optional.ofNullable(req.getHeader("client-request-id")).orElse(requestId);
        resp.setHeader("request-id", requestId);
        resp.setHeader("client-request-id", clientRequestId);
        resp.setHeader("OData-Version", "4.0");
        faults.started();
        Duration late = faults.lateAnswer(req);
        HeldAnswer held = late.isZero() ? null : new HeldAnswer(resp);
        if (held != null) {
            resp = held;
        }
        try {
            if (faults.apply(req, resp)) {
                return;
            }
            String uri = req.getRequestURI();
            if (uri.startsWith("/_download/")) {
                downloads.serve(req, resp, uri.substring("/_download/".length()));
            } else if (uri.startsWith("/_monitor/")) {
                copies.monitor(resp, uri.substring("/_monitor/".length()));
            } else if (uri.startsWith("/_upload/")) {
                uploads.handle(req, resp, uri.substring("/_upload/".length()));
            } else {
                graph(req, resp, uri.substring("/v1.0".length()));
            }
        } catch (GraphException e) {
            drain(req);
            error(resp, e, requestId, clientRequestId);
        } finally {
            faults.finished();
            if (held != null) {
                held.sendAfter(late);
            }
        }
    }

    /**
     * Reads what is left of a refused request's body, so the client, still sending, gets the error instead of a
     * closed connection. Bounded by the largest fragment Graph accepts.
     */
    private static void drain(HttpServletRequest req) {
        try (InputStream in = req.getInputStream()) {
            long left = UploadSessions.MAX_CHUNK + 1024 * 1024;
            byte[] buffer = new byte[64 * 1024];
            for (int n; left > 0 && (n = in.read(buffer)) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException ignored) {
            // the body was already read, or the connection is gone: nothing to drain
        }
    }

    private void error(HttpServletResponse resp, GraphException e, String requestId, String clientRequestId)
            throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        ObjectNode inner = Json.object().put("date", ISO.format(clock.instant()).replace("Z", ""))
                .put("request-id", requestId).put("client-request-id", clientRequestId);
        if (e.innerCode() != null) {
            inner.put("code", e.innerCode());
        }
        ObjectNode body = Json.object();
        body.putObject("error").put("code", e.code()).put("message", e.getMessage()).set("innerError", inner);
        resp.resetBuffer();
        Json.write(resp, e.status(), body, "application/json");
    }

    @Override
    public void destroy() {
        copies.stop();
        super.destroy();
    }

    // ---- routing ----

    private void graph(HttpServletRequest req, HttpServletResponse resp, String rawPath) throws IOException {
        Caller caller = access.authenticate(req, resp);
        List<String> segments = new ArrayList<>();
        // Kiota sends "root:/a/b.txt:" as one percent-encoded segment; decode, then split again (no name has a "/").
        for (String raw : rawPath.split("/")) {
            for (String part : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8).split("/")) {
                if (!part.isEmpty()) {
                    segments.add(part);
                }
            }
        }
        if (segments.isEmpty()) {
            throw new GraphException(400, "invalidRequest", "Invalid request");
        }
        switch (segments.get(0)) {
            case "me" -> me(req, resp, caller, segments.subList(1, segments.size()));
            case "users" -> users(req, resp, caller, segments.subList(1, segments.size()));
            case "drives" -> {
                if (segments.size() < 2) {
                    throw new GraphException(400, "invalidRequest", "A drive id is required.");
                }
                Drive drive = store.drive(segments.get(1)).orElseThrow(GraphException::itemNotFound);
                driveRequest(req, resp, caller, drive, segments.subList(2, segments.size()));
            }
            case "sites" -> sites(req, resp, caller, segments.subList(1, segments.size()));
            case "subscriptions" -> subscriptions(req, resp, caller, segments.subList(1, segments.size()));
            default -> throw new GraphException(400, "BadRequest", "Resource not found for the segment '"
                    + segments.get(0) + "'.");
        }
    }

    private void me(HttpServletRequest req, HttpServletResponse resp, Caller caller, List<String> rest)
            throws IOException {
        if (!caller.delegated()) {
            throw new GraphException(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
        }
        userRequest(req, resp, caller, caller.userId(), rest);
    }

    private void users(HttpServletRequest req, HttpServletResponse resp, Caller caller, List<String> rest)
            throws IOException {
        if (rest.isEmpty()) {
            throw new GraphException(400, "invalidRequest", "A user id is required.");
        }
        String who = rest.get(0);
        Directory.User user = directory.user(who).or(() -> directory.userByName(who))
                .orElseThrow(() -> new GraphException(404, "Request_ResourceNotFound", "Resource '" + who
                        + "' does not exist or one of its queried reference-property objects are not present."));
        userRequest(req, resp, caller, user.id(), rest.subList(1, rest.size()));
    }

    private void userRequest(HttpServletRequest req, HttpServletResponse resp, Caller caller, String userId,
                             List<String> rest) throws IOException {
        Directory.User user = directory.user(userId).orElseThrow(GraphException::itemNotFound);
        if (rest.isEmpty()) {
            ObjectNode json = Json.object().put("id", user.id()).put("displayName", user.displayName())
                    .put("givenName", user.givenName()).put("surname", user.surname())
                    .put("userPrincipalName", user.userPrincipalName()).put("mail", user.userPrincipalName())
                    .putNull("jobTitle").putNull("mobilePhone").putNull("officeLocation").put("preferredLanguage", "en-US");
            json.putArray("businessPhones");
            ok(resp, json);
            return;
        }
        Drive drive = store.personalDrive(userId).orElseThrow(() -> new GraphException(404, "itemNotFound",
                "The user's OneDrive has not been provisioned."));
        if (rest.get(0).equals("drives") && rest.size() == 1) {
            access.checkAccess(caller, drive, false);
            ObjectNode list = Json.object();
            list.putArray("value").add(json.driveJson(drive));
            ok(resp, list);
        } else if (rest.get(0).equals("drive")) {
            driveRequest(req, resp, caller, drive, rest.subList(1, rest.size()));
        } else {
            throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + rest.get(0) + "'.");
        }
    }

    private void sites(HttpServletRequest req, HttpServletResponse resp, Caller caller, List<String> rest)
            throws IOException {
        if (rest.isEmpty()) {
            String query = Optional.ofNullable(req.getParameter("search")).or(() -> Optional.ofNullable(
                    req.getParameter("$search"))).orElse("").replace("\"", "").trim().toLowerCase(java.util.Locale.ROOT);
            ArrayNode value = Json.MAPPER.createArrayNode();
            store.sites().stream().filter(s -> access.visible(caller, s))
                    .filter(s -> query.isEmpty() || query.equals("*") || s.displayName().toLowerCase(java.util.Locale.ROOT)
                            .contains(query) || s.name().toLowerCase(java.util.Locale.ROOT).contains(query))
                    .forEach(s -> value.add(json.siteJson(s)));
            ObjectNode list = Json.object();
            list.set("value", value);
            ok(resp, list);
            return;
        }
        Site site;
        int used;
        String first = rest.get(0);
        if (first.equals("root")) {
            site = store.sites().stream().filter(s -> s.serverRelativePath().isEmpty()).findFirst()
                    .orElseThrow(GraphException::itemNotFound);
            used = 1;
        } else if (first.endsWith(":") || (rest.size() > 1 && !first.contains(","))) {
            // {hostname}:/{server-relative-path}[:], or root:/{server-relative-path} under the root site's host
            String named = first.replaceAll(":$", "");
            String host = named.equals("root") ? store.sites().stream().filter(s -> s.serverRelativePath().isEmpty())
                    .findFirst().map(Site::hostname).orElseThrow(GraphException::itemNotFound) : named;
            StringBuilder path = new StringBuilder();
            used = 1;
            if (first.endsWith(":")) {
                while (used < rest.size()) {
                    String seg = rest.get(used++);
                    path.append('/').append(seg.replaceAll(":$", ""));
                    if (seg.endsWith(":")) {
                        break;
                    }
                }
            }
            String p = path.toString();
            site = store.sites().stream().filter(s -> s.hostname().equalsIgnoreCase(host)
                            && s.serverRelativePath().equalsIgnoreCase(p)).findFirst()
                    .orElseThrow(GraphException::itemNotFound);
        } else {
            site = store.site(first).orElseThrow(GraphException::itemNotFound);
            used = 1;
        }
        if (!access.visible(caller, site)) {
            throw new GraphException(403, "accessDenied", "Access denied");
        }
        List<String> after = rest.subList(used, rest.size());
        if (after.isEmpty()) {
            ok(resp, json.siteJson(site));
        } else if (after.get(0).equals("permissions") && after.size() == 1 && req.getMethod().equals("POST")) {
            grantSitePermission(req, resp, caller, site);
        } else if (after.get(0).equals("drives") && after.size() == 1) {
            ArrayNode value = Json.MAPPER.createArrayNode();
            store.siteDrives(site.id()).forEach(d -> value.add(json.driveJson(d)));
            ObjectNode list = Json.object();
            list.set("value", value);
            ok(resp, list);
        } else if (after.get(0).equals("drive")) {
            Drive drive = store.siteDrives(site.id()).stream().findFirst().orElseThrow(GraphException::itemNotFound);
            driveRequest(req, resp, caller, drive, after.subList(1, after.size()));
        } else {
            throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + after.get(0) + "'.");
        }
    }

    /** POST /sites/{id}/permissions: an administrator grants an app (Sites.Selected) access to this site. */
    private void grantSitePermission(HttpServletRequest req, HttpServletResponse resp, Caller caller, Site site)
            throws IOException {
        boolean fullControl = caller.delegated() ? caller.scopes().contains("Sites.FullControl.All")
                || directory.user(caller.userId()).map(Directory.User::tenantAdmin).orElse(false)
                : caller.roles().contains("Sites.FullControl.All");
        if (!fullControl) {
            throw new GraphException(403, "accessDenied", "Granting site permissions needs Sites.FullControl.All.");
        }
        JsonNode body = readJson(req);
        String role = body.path("roles").path(0).asText("read");
        JsonNode apps = body.path("grantedToIdentities");
        if (!apps.isArray() || apps.isEmpty() || !apps.get(0).path("application").hasNonNull("id")) {
            throw new GraphException(400, "invalidRequest", "grantedToIdentities must name an application.");
        }
        ObjectNode json = Json.object().put("id", UUID.randomUUID().toString());
        json.putArray("roles").add(role);
        ArrayNode granted = json.putArray("grantedToIdentities");
        for (JsonNode app : apps) {
            store.grantSiteToApp(site.id(), app.path("application").path("id").asText(), role);
            granted.add(app);
        }
        Json.write(resp, 201, json, JSON);
    }

    // ---- change notifications ----

    private void subscriptions(HttpServletRequest req, HttpServletResponse resp, Caller caller, List<String> rest)
            throws IOException {
        String app = caller.appId();
        if (rest.isEmpty()) {
            switch (req.getMethod()) {
                case "POST" -> {
                    JsonNode body = readJson(req);
                    String resource = body.path("resource").asText("");
                    Drive drive = subscribedDrive(caller, resource);
                    Subscriptions.Subscription created = subscriptions.create(body, drive, resource, app,
                            caller.delegated() ? caller.userId() : app, caller.tenantId());
                    Json.write(resp, 201, subscriptions.json(created), JSON);
                }
                case "GET" -> {
                    ObjectNode list = Json.object();
                    ArrayNode value = list.putArray("value");
                    subscriptions.ofApp(app).forEach(sub -> value.add(subscriptions.json(sub)));
                    ok(resp, list);
                }
                default -> throw notAllowed();
            }
            return;
        }
        String id = rest.get(0);
        switch (req.getMethod()) {
            case "GET" -> ok(resp, subscriptions.json(subscriptions.get(id, app)));
            case "PATCH" -> ok(resp, subscriptions.json(subscriptions.renew(id, app, readJson(req))));
            case "DELETE" -> {
                subscriptions.delete(id, app);
                resp.setStatus(204);
            }
            default -> throw notAllowed();
        }
    }

    /**
     * The drive a subscription's resource names: a drive's root ({@code /drives/{id}/root}, {@code /me/drive/root},
     * {@code /users/{id}/drive/root}), the only driveItem a subscription may watch on OneDrive for Business and
     * SharePoint; the caller must be able to read it.
     */
    private Drive subscribedDrive(Caller caller, String resource) {
        String[] parts = resource.replaceAll("^/+|/+$", "").split("/");
        Optional<Drive> drive = Optional.empty();
        if (parts.length == 3 && parts[0].equals("drives") && parts[2].equals("root")) {
            drive = store.drive(parts[1]);
        } else if (parts.length == 3 && parts[0].equals("me") && parts[1].equals("drive") && parts[2].equals("root")
                && caller.delegated()) {
            drive = store.personalDrive(caller.userId());
        } else if (parts.length == 4 && parts[0].equals("users") && parts[2].equals("drive") && parts[3].equals("root")) {
            drive = store.personalDrive(parts[1]);
        } else {
            throw new GraphException(400, "InvalidRequest", "Resource '" + resource + "' is not supported: subscribe "
                    + "to the root of a drive.");
        }
        Drive found = drive.orElseThrow(GraphException::itemNotFound);
        access.checkAccess(caller, found, false);
        return found;
    }

    // ---- drives and items ----

    private void driveRequest(HttpServletRequest req, HttpServletResponse resp, Caller caller, Drive drive,
                              List<String> rest) throws IOException {
        boolean write = !Set.of("GET", "HEAD").contains(req.getMethod());
        access.checkAccess(caller, drive, write);
        if (rest.isEmpty()) {
            ok(resp, json.driveJson(drive));
            return;
        }
        String spec = String.join("/", rest);
        Target target = resolve(drive, spec);
        String action = target.action();
        String method = req.getMethod();
        Actor actor = caller.actor(directory);
        switch (action) {
            case "" -> {
                switch (method) {
                    case "GET" -> ok(resp, json.itemJson(req, existing(target)));
                    case "PATCH" -> patch(req, resp, drive, existing(target), actor);
                    case "DELETE" -> {
                        store.delete(drive.id(), existing(target).id(), req.getHeader("If-Match"));
                        resp.setStatus(204);
                    }
                    default -> throw notAllowed();
                }
            }
            case "children" -> {
                if (method.equals("GET")) {
                    children(req, resp, drive, existing(target));
                } else if (method.equals("POST")) {
                    createFolder(req, resp, drive, existing(target), actor);
                } else {
                    throw notAllowed();
                }
            }
            case "content" -> {
                if (method.equals("GET")) {
                    Item item = existing(target);
                    if (item.folder()) {
                        throw new GraphException(400, "invalidRequest", "A folder has no content.");
                    }
                    resp.setStatus(302);
                    resp.setHeader("Location", downloads.url(req, item));
                } else if (method.equals("PUT")) {
                    putContent(req, resp, drive, target, actor);
                } else {
                    throw notAllowed();
                }
            }
            case "createUploadSession" -> {
                if (!method.equals("POST")) {
                    throw notAllowed();
                }
                createUploadSession(req, resp, drive, target, actor);
            }
            case "copy" -> {
                if (!method.equals("POST")) {
                    throw notAllowed();
                }
                copy(req, resp, caller, drive, existing(target), actor);
            }
            case "delta", "delta()" -> {
                if (!existing(target).id().equals(store.rootId(drive.id()))) {
                    throw new GraphException(400, "invalidRequest", "The delta action is only available on the root "
                            + "item of a drive.");
                }
                delta.page(req, resp, drive);
            }
            default -> throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + action + "'.");
        }
    }

    /**
     * An addressed item: the base (root or an id), an optional path below it (which may not exist yet, for
     * uploads), and the action after it.
     */
    private record Target(String driveId, String baseId, String path, String action) {
    }

    private Target resolve(Drive drive, String spec) {
        String base;
        String rest;
        if (spec.startsWith("items/")) {
            String after = spec.substring(6);
            int end = indexOfAny(after, '/', ':');
            base = end < 0 ? after : after.substring(0, end);
            rest = end < 0 ? "" : after.substring(end);
        } else if (spec.startsWith("root")) {
            base = "root";
            rest = spec.substring(4);
        } else {
            throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + spec + "'.");
        }
        String path = null;
        if (rest.startsWith(":")) {
            String afterColon = rest.substring(1);
            int close = afterColon.indexOf(':');
            path = close < 0 ? afterColon : afterColon.substring(0, close);
            rest = close < 0 ? "" : afterColon.substring(close + 1);
        }
        String action = rest.startsWith("/") ? rest.substring(1) : rest;
        if (action.startsWith("delta(")) {
            action = "delta()";
        }
        return new Target(drive.id(), base, path, action);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private Item existing(Target target) {
        return target.path() == null || target.path().isEmpty() || target.path().equals("/")
                ? store.item(target.driveId(), target.baseId())
                : store.itemByPath(target.driveId(), target.baseId(), target.path());
    }

    /**
     * For a path that may not exist yet: its parent folder and its last name. A simple upload creates missing
     * folders on the way (onedrive-api-docs #83); an upload session needs its parent to exist (#364).
     */
    private Map.Entry<Item, String> parentAndName(Target target, Actor createMissingAs) {
        String path = target.path().replaceAll("^/+|/+$", "");
        int slash = path.lastIndexOf('/');
        Item parent;
        if (slash < 0) {
            parent = store.item(target.driveId(), target.baseId());
        } else if (createMissingAs != null) {
            parent = store.ensureFolders(target.driveId(), target.baseId(), path.substring(0, slash), createMissingAs);
        } else {
            parent = store.itemByPath(target.driveId(), target.baseId(), path.substring(0, slash));
        }
        return Map.entry(parent, path.substring(slash + 1));
    }

    private void children(HttpServletRequest req, HttpServletResponse resp, Drive drive, Item folder)
            throws IOException {
        int top = Math.max(1, Math.min(1000, intParam(req, "$top", 200)));
        int skip = Optional.ofNullable(req.getParameter("$skiptoken")).map(GraphServlet::decodeSkip).orElse(0);
        List<Item> all = store.children(drive.id(), folder.id());
        ObjectNode page = Json.object();
        ArrayNode value = page.putArray("value");
        all.stream().skip(skip).limit(top).forEach(i -> value.add(json.itemJson(req, i)));
        if (skip + top < all.size()) {
            page.put("@odata.nextLink", base(req) + "v1.0/drives/" + drive.id() + "/items/" + folder.id()
                    + "/children?$top=" + top + "&$skiptoken=" + encodeSkip(skip + top));
        }
        ok(resp, page);
    }

    private void createFolder(HttpServletRequest req, HttpServletResponse resp, Drive drive, Item parent, Actor actor)
            throws IOException {
        JsonNode body = readJson(req);
        if (!body.has("folder")) {
            throw new GraphException(400, "invalidRequest", "Only folders can be created this way; upload files with "
                    + "PUT …/content or an upload session.");
        }
        String conflict = body.path("@microsoft.graph.conflictBehavior").asText("fail");
        Item folder = store.createFolder(drive.id(), parent.id(), body.path("name").asText(null), conflict, actor);
        Json.write(resp, 201, json.itemJson(req, folder), JSON);
    }

    private void putContent(HttpServletRequest req, HttpServletResponse resp, Drive drive, Target target, Actor actor)
            throws IOException {
        String conflict = Optional.ofNullable(req.getParameter("@microsoft.graph.conflictBehavior")).orElse("replace");
        if (target.path() == null || target.path().isEmpty()) {
            Item item = store.replaceContent(drive.id(), existing(target).id(), store.stage(req.getInputStream()), actor,
                    null, req.getHeader("If-Match"));
            Json.write(resp, 200, json.itemJson(req, item), JSON);
            return;
        }
        Map.Entry<Item, String> place = parentAndName(target, actor);
        DriveStore.Written written = store.commitFile(drive.id(), place.getKey().id(), place.getValue(),
                store.stage(req.getInputStream()), conflict, actor, null);
        Json.write(resp, written.created() ? 201 : 200, json.itemJson(req, written.item()), JSON);
    }

    private void patch(HttpServletRequest req, HttpServletResponse resp, Drive drive, Item item, Actor actor)
            throws IOException {
        JsonNode body = readJson(req);
        String name = body.hasNonNull("name") ? body.get("name").asText() : null;
        JsonNode parentRef = body.path("parentReference");
        String parentId = parentRef.hasNonNull("id") ? parentRef.get("id").asText() : null;
        if (parentRef.hasNonNull("driveId") && !parentRef.get("driveId").asText().equalsIgnoreCase(drive.id())) {
            throw new GraphException(400, "invalidRequest", "Items cannot be moved between drives; copy them instead.");
        }
        Item updated = store.update(drive.id(), item.id(), name, parentId, req.getHeader("If-Match"),
                body.path("@microsoft.graph.conflictBehavior").asText(null), actor, fileTimes(body));
        ok(resp, json.itemJson(req, updated));
    }

    private void copy(HttpServletRequest req, HttpServletResponse resp, Caller caller, Drive drive, Item item,
                      Actor actor) throws IOException {
        JsonNode body = readJson(req);
        JsonNode ref = body.path("parentReference");
        Drive targetDrive = ref.hasNonNull("driveId") ? store.drive(ref.get("driveId").asText())
                .orElseThrow(GraphException::itemNotFound) : drive;
        access.checkAccess(caller, targetDrive, true);
        String targetParent = ref.hasNonNull("id") ? ref.get("id").asText() : store.rootId(targetDrive.id());
        store.item(targetDrive.id(), targetParent); // 404 now, rather than a failed job later
        copies.start(req, resp, drive, item, targetDrive, targetParent,
                body.hasNonNull("name") ? body.get("name").asText() : null,
                req.getParameter("@microsoft.graph.conflictBehavior"), actor);
    }

    private void createUploadSession(HttpServletRequest req, HttpServletResponse resp, Drive drive, Target target,
                                     Actor actor) throws IOException {
        JsonNode item = readJson(req).path("item");
        String conflict = item.path("@microsoft.graph.conflictBehavior").asText("replace");
        long declared = item.path("fileSize").asLong(-1);
        DriveStore.FileTimes times = fileTimes(item);
        // "If this request header is included and the eTag (or cTag) provided does not match the current etag on
        // the item, a 412 Precondition Failed error response is returned." (driveitem-createuploadsession)
        String ifMatch = req.getHeader("If-Match");
        if (target.path() == null || target.path().isEmpty()) {
            Item existing = existing(target);
            if (existing.folder()) {
                throw new GraphException(400, "invalidRequest", "Address the new file by its parent folder and name.");
            }
            DriveStore.checkIfMatch(existing, ifMatch);
            uploads.create(req, resp, drive, existing.parentId(), existing.name(), existing.id(), conflict, declared,
                    actor, times);
            return;
        }
        Map.Entry<Item, String> place = parentAndName(target, null);
        if (item.hasNonNull("name") && !item.get("name").asText().equals(place.getValue())) {
            throw new GraphException(400, "invalidRequest", "Name specified in the path doesn't match the name "
                    + "specified in the request body");
        }
        if (ifMatch != null) {
            // a precondition on a file that is not there cannot hold
            DriveStore.checkIfMatch(store.children(drive.id(), place.getKey().id()).stream()
                    .filter(c -> c.name().equalsIgnoreCase(place.getValue())).findFirst()
                    .orElseThrow(() -> preconditionFailed()), ifMatch);
        }
        uploads.create(req, resp, drive, place.getKey().id(), place.getValue(), null, conflict, declared, actor, times);
    }

    private static GraphException preconditionFailed() {
        return new GraphException(412, "resourceModified", "ETag does not match current item's value",
                "entityTagDoesNotMatch");
    }

    /**
     * The fileSystemInfo of a request body, which Graph lets a client set when it uploads (item.fileSystemInfo of an
     * upload session) and by PATCH (https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo); null if
     * the body has none.
     */
    private static DriveStore.FileTimes fileTimes(JsonNode body) {
        JsonNode info = body.path("fileSystemInfo");
        if (!info.isObject()) {
            return null;
        }
        return new DriveStore.FileTimes(instant(info, "createdDateTime"), instant(info, "lastModifiedDateTime"));
    }

    private static Instant instant(JsonNode info, String field) {
        if (!info.hasNonNull(field)) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(info.get(field).asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new GraphException(400, "invalidRequest", "Invalid value for " + field + ": not an ISO 8601 date "
                    + "and time.");
        }
    }

    // ---- plumbing ----

    private static String encodeSkip(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("Paged=TRUE&p_SortBehavior=0&offset=" + offset)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeSkip(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring(text.lastIndexOf('=') + 1));
        } catch (IllegalArgumentException e) {
            throw new GraphException(400, "invalidRequest", "Invalid $skiptoken.");
        }
    }


}
