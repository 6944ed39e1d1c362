package io.docbridge.emulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.EmulatorClock;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.graph.Faults;
import io.docbridge.emulator.graph.GraphException;
import io.docbridge.emulator.identity.Directory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control API under {@code /_control/}: what the Java API does, over HTTP, for tests and demos in any language.
 * Seed tenants, users, apps, sites, libraries and OneDrives; change files behind a client's back; inject faults; move
 * the clock; read the request log. JSON in, JSON out. Meant for loopback; it has no authentication of its own.
 */
public final class ControlServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern ID = Pattern.compile("/_control/(\\w+)/([^/]+)/([\\w-]+)");

    private final transient Directory directory;
    private final transient DriveStore drives;
    private final transient Faults faults;
    private final transient EmulatorClock clock;
    private final String token;

    /** The header that carries the control token. */
    public static final String TOKEN_HEADER = "X-Emulator-Control-Token";

    public ControlServlet(Directory directory, DriveStore drives, Faults faults, EmulatorClock clock, String token) {
        this.token = token;
        this.directory = directory;
        this.drives = drives;
        this.faults = faults;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String method = req.getMethod();
        String refusal = refusal(req);
        if (refusal != null) {
            ObjectNode error = Json.object();
            error.putObject("error").put("code", "accessDenied").put("message", refusal);
            Json.write(resp, 403, error, "application/json");
            return;
        }
        try {
            if (method.equals("PUT") && path.matches("/_control/drives/[^/]+/files")) {
                putFile(req, resp, path.split("/")[3]);
                return;
            }
            JsonNode body = method.equals("GET") || method.equals("DELETE") ? Json.object() : body(req);
            Object answer = route(method, path, body, req);
            if (answer == null) {
                resp.setStatus(204);
            } else {
                Json.write(resp, 200, answer, "application/json");
            }
        } catch (GraphException e) {
            ObjectNode error = Json.object();
            error.putObject("error").put("code", e.code()).put("message", e.getMessage());
            Json.write(resp, e.status(), error, "application/json");
        } catch (IllegalArgumentException | NullPointerException e) {
            ObjectNode error = Json.object();
            error.putObject("error").put("code", "invalidRequest").put("message", String.valueOf(e.getMessage()));
            Json.write(resp, 400, error, "application/json");
        }
    }

    /** Why the request may not use the control API, or null if it may. */
    private String refusal(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, req)) {
            return "The control API does not answer other sites (Origin " + origin + ").";
        }
        String given = req.getHeader(TOKEN_HEADER);
        if (given == null || !java.security.MessageDigest.isEqual(given.getBytes(java.nio.charset.StandardCharsets
                .UTF_8), token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return "Send the control token of this start in " + TOKEN_HEADER + " (the file control-token in the "
                    + "emulator's data folder, also printed at start).";
        }
        String type = Optional.ofNullable(req.getContentType()).orElse("").toLowerCase(java.util.Locale.ROOT);
        boolean hasBody = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        boolean upload = req.getMethod().equals("PUT") && req.getRequestURI().endsWith("/files");
        if (hasBody && !(type.startsWith("application/json") || upload && type.startsWith("application/octet-stream"))) {
            return "A control request's body is application/json (a file upload application/octet-stream), not "
                    + (type.isEmpty() ? "untyped" : type) + ".";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServletRequest req) {
        try {
            java.net.URI o = java.net.URI.create(origin);
            int port = o.getPort() < 0 ? ("https".equals(o.getScheme()) ? 443 : 80) : o.getPort();
            return req.getScheme().equalsIgnoreCase(o.getScheme()) && req.getServerName().equalsIgnoreCase(o.getHost())
                    && req.getServerPort() == port;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Object route(String method, String path, JsonNode body, HttpServletRequest req) {
        switch (method + " " + path) {
            case "GET /_control/requests" -> {
                ArrayNode log = Json.MAPPER.createArrayNode();
                faults.requests().forEach(r -> log.addObject().put("method", r.method()).put("path", r.path())
                        .put("query", r.query()));
                return log;
            }
            case "GET /_control/state" -> {
                return state();
            }
            case "DELETE /_control/requests" -> {
                faults.clearLog();
                return null;
            }
            case "POST /_control/faults/throttle" -> {
                faults.throttleNext(body.path("count").asInt(1), body.path("path").asText(""),
                        body.path("status").asInt(429), body.path("retryAfter").asInt(1));
                return null;
            }
            case "POST /_control/faults/throttle-rate" -> {
                faults.throttleRate(body.path("share").asDouble(0.1), body.path("path").asText(""),
                        body.path("status").asInt(429), body.path("retryAfter").asInt(1), body.path("seed").asLong(1));
                return null;
            }
            case "POST /_control/faults/rewrite-office-files" -> {
                drives.rewriteOfficeFiles(body.path("on").asBoolean(true));
                return null;
            }
            case "POST /_control/faults/drop-download" -> {
                faults.dropNextDownloadAfter(body.path("afterBytes").asLong(0));
                return null;
            }
            case "POST /_control/faults/stall-download" -> {
                faults.stallNextDownloadAfter(body.path("afterBytes").asLong(0),
                        Duration.ofMillis(body.path("millis").asLong(0)));
                return null;
            }
            case "POST /_control/faults/stall-upload" -> {
                faults.stallNextUploadAfter(body.path("afterBytes").asLong(0),
                        Duration.ofMillis(body.path("millis").asLong(0)));
                return null;
            }
            case "POST /_control/faults/latency" -> {
                faults.latency(Duration.ofMillis(body.path("millis").asLong(0)));
                return null;
            }
            case "DELETE /_control/faults" -> {
                faults.clear();
                return null;
            }
            case "POST /_control/clock/advance" -> {
                clock.advance(Duration.ofSeconds(body.path("seconds").asLong()));
                return Json.object().put("now", clock.instant().toString());
            }
            case "POST /_control/tenants" -> {
                Directory.Tenant t = directory.addTenant(text(body, "domain"), body.path("displayName").asText(
                        text(body, "domain")), body.path("userConsentAllowed").asBoolean(true));
                return Json.object().put("id", t.id()).put("domain", t.domain());
            }
            case "POST /_control/apps" -> {
                Directory.App app = directory.addApp(body.path("displayName").asText("App"), strings(body,
                        "redirectUris"), strings(body, "secrets"));
                return Json.object().put("clientId", app.clientId());
            }
            case "POST /_control/sites" -> {
                DriveStore.Site site = drives.addSite(text(body, "hostname"), body.path("path").asText(""),
                        text(body, "displayName"), Set.copyOf(strings(body, "members")));
                return Json.object().put("id", site.id());
            }
            default -> {
                return routeById(method, path, body, req);
            }
        }
    }

    /**
     * What the emulator holds, with the ids tests and scripts need: tenants, users (never passwords), apps (never
     * secrets), sites and drives with their roots.
     */
    private ObjectNode state() {
        ObjectNode state = Json.object();
        ArrayNode tenants = state.putArray("tenants");
        directory.tenants().forEach(t -> tenants.addObject().put("id", t.id()).put("domain", t.domain())
                .put("displayName", t.displayName()).put("userConsentAllowed", t.userConsentAllowed()));
        ArrayNode users = state.putArray("users");
        directory.users().forEach(u -> users.addObject().put("id", u.id()).put("tenantId", u.tenantId())
                .put("userPrincipalName", u.userPrincipalName()).put("displayName", u.displayName()));
        ArrayNode apps = state.putArray("apps");
        directory.apps().forEach(a -> {
            ObjectNode app = apps.addObject().put("clientId", a.clientId()).put("displayName", a.displayName());
            a.redirectUris().forEach(app.putArray("redirectUris")::add);
        });
        ArrayNode sites = state.putArray("sites");
        drives.sites().forEach(site -> sites.addObject().put("id", site.id()).put("displayName", site.displayName())
                .put("hostname", site.hostname()).put("path", site.serverRelativePath()));
        ArrayNode driveList = state.putArray("drives");
        drives.drives().forEach(d -> {
            ObjectNode drive = driveList.addObject().put("id", d.id()).put("name", d.name())
                    .put("driveType", d.driveType()).put("rootId", drives.rootId(d.id()))
                    .put("items", drives.itemCount(d.id()));
            if (d.siteId() != null) {
                drive.put("siteId", d.siteId());
            }
            if (d.owner() != null) {
                drive.put("owner", d.owner().email());
            }
        });
        return state;
    }

    private Object routeById(String method, String path, JsonNode body, HttpServletRequest req) {
        Matcher m = ID.matcher(path);
        if (!m.matches() || !method.equals("POST")) {
            throw new GraphException(404, "itemNotFound", "No control endpoint " + method + " " + path);
        }
        String kind = m.group(1);
        String id = m.group(2);
        String action = m.group(3);
        switch (kind + "/" + action) {
            case "tenants/users" -> {
                Directory.Tenant tenant = tenant(id);
                Directory.User user = directory.addUser(tenant, text(body, "name"), text(body, "displayName"),
                        text(body, "password"), body.path("admin").asBoolean(false));
                return Json.object().put("id", user.id()).put("userPrincipalName", user.userPrincipalName());
            }
            case "tenants/consent-policy" -> {
                directory.putTenant(tenant(id).withUserConsentAllowed(body.path("userConsentAllowed").asBoolean()));
                return null;
            }
            case "users/revoke-sessions" -> {
                directory.revokeSessions(user(id), clock.instant());
                return null;
            }
            case "users/require-mfa" -> {
                directory.requireMfa(user(id), body.path("required").asBoolean(true));
                return null;
            }
            case "users/drive" -> {
                Directory.User user = user(id);
                DriveStore.Drive drive = drives.addPersonalDrive(new DriveStore.Actor(user.id(), user.displayName(),
                        user.userPrincipalName()), body.path("sharepointHost").asText("contoso.sharepoint.com"),
                        body.path("quota").asLong(1L << 40));
                return Json.object().put("id", drive.id());
            }
            case "sites/libraries" -> {
                DriveStore.Site site = drives.site(id).orElseThrow(() -> new GraphException(404, "itemNotFound",
                        "No site " + id));
                DriveStore.Drive drive = drives.addLibrary(site, text(body, "name"), body.path("quota").asLong(1L << 40));
                return Json.object().put("id", drive.id());
            }
            case "sites/app-grants" -> {
                drives.grantSiteToApp(id, text(body, "appId"), body.path("role").asText("write"));
                return null;
            }
            case "sites/members" -> {
                DriveStore.Site site = drives.site(id).orElseThrow(() -> new GraphException(404, "itemNotFound",
                        "No site " + id));
                drives.updateSiteMembers(site, Set.copyOf(strings(body, "members")));
                return null;
            }
            case "apps/roles" -> {
                Directory.App app = directory.app(id).orElseThrow(() -> new GraphException(404, "itemNotFound",
                        "No app " + id));
                directory.grantAppRole(tenant(text(body, "tenant")), app, text(body, "role"));
                return null;
            }
            case "drives/invalidate-delta" -> {
                drives.invalidateDeltaTokens(id);
                return null;
            }
            case "drives/delete" -> {
                DriveStore.Item item = drives.itemByPath(id, "root", text(body, "path"));
                drives.delete(id, item.id(), null);
                return null;
            }
            case "drives/move" -> {
                DriveStore.Item item = drives.itemByPath(id, "root", text(body, "path"));
                String parent = body.hasNonNull("toFolder")
                        ? drives.itemByPath(id, "root", body.get("toFolder").asText()).id() : null;
                DriveStore.Item moved = drives.update(id, item.id(), body.path("newName").asText(null), parent, null,
                        "fail", actor(req), null);
                return Json.object().put("id", moved.id());
            }
            case "drives/folders" -> {
                String p = text(body, "path").replaceAll("^/+|/+$", "");
                int slash = p.lastIndexOf('/');
                String parent = slash < 0 ? drives.rootId(id) : drives.itemByPath(id, "root", p.substring(0, slash)).id();
                DriveStore.Item folder = drives.createFolder(id, parent, p.substring(slash + 1), "fail", actor(req));
                return Json.object().put("id", folder.id());
            }
            default -> throw new GraphException(404, "itemNotFound", "No control endpoint " + method + " " + path);
        }
    }

    /** PUT /_control/drives/{id}/files?path=/a/b.txt with the content as the body: a change behind the client's back. */
    private void putFile(HttpServletRequest req, HttpServletResponse resp, String driveId) throws IOException {
        String p = Optional.ofNullable(req.getParameter("path")).orElseThrow(() -> new IllegalArgumentException(
                "path is required")).replaceAll("^/+", "");
        int slash = p.lastIndexOf('/');
        String parent = slash < 0 ? drives.rootId(driveId) : drives.itemByPath(driveId, "root", p.substring(0, slash)).id();
        DriveStore.Written w = drives.commitFile(driveId, parent, p.substring(slash + 1),
                drives.stage(req.getInputStream()), "replace", actor(req), null);
        Json.write(resp, w.created() ? 201 : 200, Json.object().put("id", w.item().id())
                .put("quickXorHash", w.item().quickXorHash()), "application/json");
    }

    private DriveStore.Actor actor(HttpServletRequest req) {
        String as = req.getParameter("as");
        return as == null ? DriveStore.Actor.SYSTEM : directory.user(as)
                .map(u -> new DriveStore.Actor(u.id(), u.displayName(), u.userPrincipalName()))
                .orElse(DriveStore.Actor.SYSTEM);
    }

    private Directory.Tenant tenant(String id) {
        return directory.tenant(id).orElseThrow(() -> new GraphException(404, "itemNotFound", "No tenant " + id));
    }

    private Directory.User user(String id) {
        return directory.user(id).orElseThrow(() -> new GraphException(404, "itemNotFound", "No user " + id));
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] bytes = req.getInputStream().readNBytes(1024 * 1024);
        return bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
    }

    private static String text(JsonNode body, String field) {
        if (!body.hasNonNull(field) || body.get(field).asText().isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return body.get(field).asText();
    }

    private static List<String> strings(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        body.path(field).forEach(v -> values.add(v.asText()));
        return values;
    }
}
