package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.graph.DriveStore.Drive;
import io.docbridge.emulator.graph.DriveStore.Site;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.emulator.identity.TokenIssuer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Optional;
import java.util.Set;

/**
 * Graph's authorization as the emulator applies it: who a bearer token says is calling (a person with delegated
 * scopes, or an app with roles), which sites they see, and which drives they may read or change
 * (https://learn.microsoft.com/en-us/graph/permissions-reference). The routes are {@link GraphServlet}'s.
 */
final class GraphAccess {
    private static final Set<String> READ = Set.of("Files.Read", "Files.ReadWrite", "Files.Read.All",
            "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All");
    private static final Set<String> WRITE = Set.of("Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All");
    private static final Set<String> ALL_DRIVES = Set.of("Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All",
            "Sites.ReadWrite.All");

    private final DriveStore store;
    private final Directory directory;
    private final TokenIssuer issuer;

    GraphAccess(DriveStore store, Directory directory, TokenIssuer issuer) {
        this.store = store;
        this.directory = directory;
        this.issuer = issuer;
    }

    /** Who is calling: a signed-in user (delegated) or an app (client credentials). */
    record Caller(String userId, String appId, String tenantId, Set<String> scopes, Set<String> roles) {
        boolean delegated() {
            return userId != null;
        }

        Actor actor(Directory directory) {
            if (!delegated()) {
                return new Actor(appId, "Application", "");
            }
            return directory.user(userId).map(u -> new Actor(u.id(), u.displayName(), u.userPrincipalName()))
                    .orElse(new Actor(userId, "", ""));
        }
    }

    /**
     * Who the bearer token says is calling.
     *
     * @throws GraphException 401 InvalidAuthenticationToken (with Graph's WWW-Authenticate header), or 403 when the
     *                        token carries neither scopes nor roles
     */
    Caller authenticate(HttpServletRequest req, HttpServletResponse resp) {
        String header = Optional.ofNullable(req.getHeader("Authorization")).orElse("");
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        TokenIssuer.Result result = issuer.verify(token);
        if (result.problem() != null) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/"
                    + "common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""
                    + (result.problem() == TokenIssuer.Problem.EXPIRED ? ", error=\"invalid_token\"" : ""));
            String message = switch (result.problem()) {
                case EMPTY -> "Access token is empty.";
                case EXPIRED -> "Access token has expired or is not yet valid.";
                case MALFORMED -> "CompactToken parsing failed with error code: 80049217";
            };
            throw new GraphException(401, "InvalidAuthenticationToken", message);
        }
        JsonNode claims = result.claims();
        Set<String> scopes = claims.hasNonNull("scp") ? Set.of(claims.path("scp").asText().split(" ")) : Set.of();
        Set<String> roles = new java.util.HashSet<>();
        claims.path("roles").forEach(r -> roles.add(r.asText()));
        boolean app = claims.path("idtyp").asText().equals("app");
        if (scopes.isEmpty() && roles.isEmpty()) {
            throw new GraphException(403, "AccessDenied", "Either scp or roles claim need to be present in the "
                    + "token.");
        }
        return new Caller(app ? null : claims.path("oid").asText(), claims.path("appid").asText(),
                claims.path("tid").asText(), scopes, roles);
    }

    /** Whether the caller sees the site: an app by its roles or grant, a person by membership and scope. */
    boolean visible(Caller caller, Site site) {
        if (!caller.delegated()) {
            return caller.roles().contains("Sites.ReadWrite.All") || caller.roles().contains("Sites.Read.All")
                    || (caller.roles().contains("Sites.Selected") && site.appGrants().containsKey(caller.appId()));
        }
        boolean admin = directory.user(caller.userId()).map(Directory.User::tenantAdmin).orElse(false);
        return (admin || site.opens(caller.userId()))
                && caller.scopes().stream().anyMatch(s -> s.startsWith("Sites.") || s.endsWith(".All"));
    }

    /** Whether the caller may read (or write) this drive: scopes first, then who the drive belongs to. */
    void checkAccess(Caller caller, Drive drive, boolean write) {
        Set<String> granted = caller.delegated() ? caller.scopes() : caller.roles();
        boolean scopeOk = granted.stream().anyMatch(write ? WRITE::contains : READ::contains);
        if (!scopeOk && !caller.delegated() && granted.contains("Sites.Selected")) {
            // Sites.Selected: only the sites an administrator granted to this app, with the granted role.
            String role = drive.siteId() == null ? null : store.site(drive.siteId())
                    .map(site -> site.appGrants().get(caller.appId())).orElse(null);
            if (role != null && (!write || role.equals("write") || role.equals("owner") || role.equals("fullcontrol"))) {
                return;
            }
            throw new GraphException(403, "accessDenied", "Access denied. The app has Sites.Selected and no "
                    + (role == null ? "grant on this site." : "write grant on this site."));
        }
        if (!scopeOk) {
            throw new GraphException(403, "accessDenied", "Access denied. The token lacks a permission for this "
                    + (write ? "change" : "read") + ".");
        }
        if (!caller.delegated()) {
            return;
        }
        boolean own = caller.userId().equals(drive.ownerId());
        Optional<Site> site = drive.siteId() == null ? Optional.empty() : store.site(drive.siteId());
        boolean member = site.map(s -> s.memberIds().contains(caller.userId())).orElse(false);
        boolean visitor = site.map(s -> s.visitorIds().contains(caller.userId())).orElse(false);
        boolean allScope = granted.stream().anyMatch(ALL_DRIVES::contains);
        if (!(own || ((member || visitor && !write) && allScope))) {
            throw new GraphException(403, "accessDenied", "Access denied");
        }
    }
}
