package io.docbridge.sharepoint;

import com.microsoft.graph.models.Drive;
import com.microsoft.graph.models.Site;
import io.docbridge.api.HostContext;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.PluginServlets;
import io.docbridge.api.ServletRoute;
import io.docbridge.graph.PluginConnections;
import io.docbridge.graph.PluginPages;
import io.docbridge.graph.SignInFlow;
import io.docbridge.graph.SignedInAccount;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pf4j.Extension;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Connect with Microsoft and the site and library pickers, under /plugins/sharepoint/. The callback is public:
 * Microsoft's answer is a cross-site POST without the session cookie, bound to its state instead.
 */
@Extension
public final class SharePointServlets implements PluginServlets {
    static final String FOR_DRIVE = Purpose.DRIVE.param;

    /**
     * The three setups the sign-in and pickers serve, told apart by the {@code for} parameter: the organisation's
     * storage and organisation drives (an administrator's, on a connection of the organisation's), and a library in
     * a person's own My Files (anyone's, on their own connection).
     */
    enum Purpose {
        STORAGE("", "/settings/storage/add/" + SharePointStorageType.ID, true, "/settings/storage", "Storage",
                "SharePoint Online storage needs to read and write files in the library you choose."),
        DRIVE("drive", "/files/add/" + SharePointLibraryType.ID, false, "/files", "My Files",
                "Docbridge needs to read and write files in the library you choose to sync it into My Files."),
        ORGANISATION_DRIVE("organisation-drive", "/admin/integrations/drives/add/" + SharePointLibraryType.ID, true,
                "/admin/integrations", "Integrations",
                "Docbridge needs to read and write files in the library you choose to sync it into everyone's My "
                        + "Files.");

        final String param;
        /** The host's form the library picker hands the choice to. */
        final String setup;
        final boolean forOrganisation;
        /** The host's page a person goes back to when they do not finish signing in, and its name. */
        final String back;
        final String backName;
        /** Why the consent is needed, for a person who declined it. */
        final String whyConsent;

        Purpose(String param, String setup, boolean forOrganisation, String back, String backName,
                String whyConsent) {
            this.param = param;
            this.setup = setup;
            this.forOrganisation = forOrganisation;
            this.back = back;
            this.backName = backName;
            this.whyConsent = whyConsent;
        }

        static Purpose of(String param) {
            for (Purpose p : values()) {
                if (p.param.equals(param)) {
                    return p;
                }
            }
            return STORAGE;
        }

        static Purpose of(HttpServletRequest req) {
            return of(param(req, "for"));
        }

        /** The query parameter that carries it along, with a leading {@code &}; empty for storage. */
        String query() {
            return param.isEmpty() ? "" : "&for=" + param;
        }

        /** What a sign-in was for, from the {@code returnTo} it was started with (see the connect servlet). */
        static Purpose ofReturnTo(String returnTo) {
            return returnTo.startsWith("/files/") ? DRIVE : returnTo.startsWith("/") ? STORAGE : of(returnTo);
        }

        /** Where a sign-in may return to when it was started with a {@code return} parameter (Reconnect). */
        boolean mayReturnTo(String path) {
            return this == DRIVE || this == ORGANISATION_DRIVE ? path.startsWith("/files/")
                    : path.startsWith("/settings/storage");
        }
    }

    @Override
    public List<ServletRoute> routes(HostContext host) {
        PluginConnections connections = new PluginConnections(host, SharePointStorageType.ID);
        return List.of(
                new ServletRoute("/connect", get((req, resp) -> connect(connections, req, resp)),
                        ServletRoute.Access.USER),
                new ServletRoute("/" + PluginConnections.CALLBACK, new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        callback(connections, req, resp);
                    }
                }, ServletRoute.Access.PUBLIC),
                new ServletRoute("/sites", get((req, resp) -> sites(connections, req, resp)),
                        ServletRoute.Access.USER),
                new ServletRoute("/libraries", get((req, resp) -> libraries(connections, req, resp)),
                        ServletRoute.Access.USER));
    }

    private interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
    }

    private static HttpServlet get(Handler handler) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                handler.handle(req, resp);
            }
        };
    }

    private static String param(HttpServletRequest req, String name) {
        return Optional.ofNullable(req.getParameter(name)).orElse("");
    }

    /** Starts a sign-in: for a new connection, or again for an existing one (Reconnect). */
    private static void connect(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        Purpose purpose = Purpose.of(req);
        PlatformUser user = PlatformUser.of(req);
        if (purpose.forOrganisation && !user.orgAdmin()) {
            PluginPages.page(resp, 403, "Administrators only", connections.notice(), "<p class=\"lead\" id=\"forbidden\">"
                    + "Only an administrator connects the organisation's storage and drives to Microsoft 365.</p>");
            return;
        }
        String back = param(req, "return");
        // Without a return path, the purpose itself travels through the sign-in (in returnTo), so the callback knows
        // which picker comes next.
        String returnTo = purpose.mayReturnTo(back) ? back : purpose.param;
        try {
            resp.sendRedirect(connections.start(param(req, "connection"), purpose.forOrganisation, returnTo, req)
                    .toString());
        } catch (PluginException e) {
            PluginPages.page(resp, 503, "Integration not available", "", "<p class=\"lead\">" + PluginPages.esc(e.getMessage())
                    + "</p>");
        }
    }

    private static void callback(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        SignInFlow.Outcome outcome = connections.complete(req);
        Purpose purpose = Purpose.ofReturnTo(outcome.returnTo());
        // Try again starts the same kind of sign-in; Back goes where it was started from.
        String again = "<p><a class=\"button primary\" id=\"try-again\" href=\"connect"
                + (purpose == Purpose.STORAGE ? "" : "?for=" + purpose.param) + "\">Try again</a> <a class=\"button\" "
                + "href=\"" + purpose.back + "\">Back to " + purpose.backName + "</a></p>";
        if (outcome instanceof SignInFlow.Outcome.SignedIn s) {
            String sites = "sites?connection=" + PluginPages.url(s.connectionId()) + "&account="
                    + PluginPages.url(s.account().username());
            String next = s.returnTo().startsWith("/") ? s.returnTo() : sites + Purpose.of(s.returnTo()).query();
            resp.setStatus(303);
            resp.setHeader("Location", next);
        } else {
            PluginPages.signInUnfinished(resp, connections.notice(), outcome, purpose.whyConsent, again);
        }
    }

    private static void sites(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String connection = param(req, "connection");
        if (!connections.mayUse(connection, PlatformUser.of(req))) {
            notYours(connections, resp);
            return;
        }
        String account = signedInAs(connections, connection);
        String base = "connection=" + PluginPages.url(connection) + "&account=" + PluginPages.url(account)
                + Purpose.of(req).query() + handBackQuery(req);
        try {
            if (!param(req, "url").isBlank()) {
                Site site = connections.drives(connection).siteByUrl(param(req, "url"));
                resp.setStatus(303);
                resp.setHeader("Location", "libraries?" + base + "&site=" + PluginPages.url(site.getId()) + "&siteName="
                        + PluginPages.url(site.getDisplayName()));
                return;
            }
            List<Site> found = connections.drives(connection).searchSites(param(req, "q"));
            StringBuilder list = new StringBuilder("<ul class=\"projects\" id=\"sites\">");
            for (Site site : found) {
                list.append("<li><a class=\"site\" href=\"libraries?").append(PluginPages.esc(base)).append("&amp;site=")
                        .append(PluginPages.esc(PluginPages.url(site.getId()))).append("&amp;siteName=")
                        .append(PluginPages.esc(PluginPages.url(site.getDisplayName()))).append("\">")
                        .append(PluginPages.esc(site.getDisplayName())).append("</a> <span class=\"meta\">")
                        .append(PluginPages.esc(site.getWebUrl())).append("</span></li>");
            }
            list.append("</ul>");
            if (found.isEmpty()) {
                list.append("<p class=\"empty\">No sites match. Paste the site's address below instead.</p>");
            }
            PluginPages.page(resp, 200, "Choose a site", connections.notice(), step(req, "Step 2 of 3: the site")
                    + (account.isEmpty() ? "" : "<p class=\"meta\">Signed in as " + PluginPages.esc(account) + ".</p>")
                    + "<form method=\"get\" action=\"sites\" class=\"row\">" + hidden(connection, account, req)
                    + "<div class=\"field grow\"><label for=\"f-q\">Search sites</label><input id=\"f-q\" name=\"q\" "
                    + "value=\"" + PluginPages.esc(param(req, "q")) + "\"></div><div class=\"field\"><label>&nbsp;</label>"
                    + "<button type=\"submit\">Search</button></div></form>" + list
                    + "<form method=\"get\" action=\"sites\" class=\"row\">" + hidden(connection, account, req)
                    + "<div class=\"field grow\"><label for=\"f-url\">Or paste the site URL</label><input id=\"f-url\" "
                    + "name=\"url\" placeholder=\"https://contoso.sharepoint.com/sites/Projects\"></div><div "
                    + "class=\"field\"><label>&nbsp;</label><button type=\"submit\" id=\"open-url\">Open</button></div>"
                    + "</form>");
        } catch (PluginException e) {
            String again = "sites?connection=" + PluginPages.url(connection) + Purpose.of(req).query()
                    + handBackQuery(req);
            PluginPages.page(resp, 502, "The sites could not be loaded", connections.notice(), "<p class=\"lead\" "
                    + "id=\"sites-error\">" + PluginPages.esc(e.getMessage()) + "</p><p>" + PluginPages.esc(e.kind().advice())
                    + "</p><p><a class=\"button primary\" id=\"another-address\" href=\"" + PluginPages.esc(again)
                    + "\">Search or paste another address</a> <a class=\"button\" href=\"connect\">Connect again</a></p>");
        }
    }

    private static String hidden(String connection, String account) {
        return "<input type=\"hidden\" name=\"connection\" value=\"" + PluginPages.esc(connection) + "\"><input "
                + "type=\"hidden\" name=\"account\" value=\"" + PluginPages.esc(account) + "\">";
    }

    /** Who the connection is signed in as, from its token cache: never taken from the URL. Empty for app-only. */
    private static String signedInAs(PluginConnections connections, String connection) {
        return PluginConnections.APP_ONLY.equals(connection) ? ""
                : connections.signIn(connection).account().map(SignedInAccount::username).orElse("");
    }

    private static void notYours(PluginConnections connections, HttpServletResponse resp) throws IOException {
        PluginPages.page(resp, 403, "Not your connection", connections.notice(), "<p class=\"lead\" id=\"forbidden\">"
                + "This Microsoft connection belongs to someone else. Sign in with your own account.</p>"
                + "<p><a class=\"button primary\" href=\"connect?for=" + FOR_DRIVE + "\">Sign in with Microsoft</a></p>");
    }

    private static String hidden(String connection, String account, HttpServletRequest req) {
        Purpose purpose = Purpose.of(req);
        return hidden(connection, account) + (purpose == Purpose.STORAGE ? ""
                : "<input type=\"hidden\" name=\"for\" value=\"" + purpose.param + "\">")
                + (handBack(req).isEmpty() ? "" : "<input type=\"hidden\" name=\"return\" value=\""
                + PluginPages.esc(handBack(req)) + "\">");
    }

    /**
     * The host form the chosen library goes back to: the {@code return} parameter when the host's form sent one of
     * its own pages (Edit hands back to itself), else the Add form of the purpose.
     */
    private static String handBack(HttpServletRequest req) {
        String back = param(req, "return");
        return Purpose.of(req).mayReturnTo(back) && back.matches("/[\\w/.-]*") ? back : "";
    }

    /** Where the person is in the setup, and the way out of it (back to the page the setup started from). */
    private static String step(HttpServletRequest req, String where) {
        Purpose purpose = Purpose.of(req);
        String cancel = handBack(req).isEmpty() ? purpose.back : handBack(req).replaceFirst("/edit$", "")
                .replaceFirst("/settings/storage/([0-9a-f-]{36})$", "/settings/storage#provider-$1");
        return "<p class=\"meta\" id=\"setup-step\">" + PluginPages.esc(where) + " · <a id=\"cancel-setup\" href=\""
                + PluginPages.esc(cancel) + "\">Cancel</a></p>";
    }

    /** How much of the library's storage is used, where Graph gives it ({@code quota.used}). */
    private static String used(Drive library) {
        if (library.getQuota() == null || library.getQuota().getUsed() == null) {
            return "";
        }
        return " <span class=\"meta\">" + PluginPages.esc(PluginPages.size(library.getQuota().getUsed()))
                + " used</span>";
    }

    private static String handBackQuery(HttpServletRequest req) {
        return handBack(req).isEmpty() ? "" : "&return=" + PluginPages.url(handBack(req));
    }

    private static void libraries(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String connection = param(req, "connection");
        if (!connections.mayUse(connection, PlatformUser.of(req))) {
            notYours(connections, resp);
            return;
        }
        String site = param(req, "site");
        String siteName = param(req, "siteName");
        try {
            List<Drive> libraries = connections.drives(connection).libraries(site);
            StringBuilder list = new StringBuilder("<ul class=\"projects\" id=\"libraries\">");
            for (Drive library : libraries) {
                String next = (handBack(req).isEmpty() ? Purpose.of(req).setup : handBack(req)) + "?connection="
                        + PluginPages.url(connection) + "&account="
                        + PluginPages.url(signedInAs(connections, connection)) + "&site=" + PluginPages.url(site) + "&siteName="
                        + PluginPages.url(siteName) + "&library=" + PluginPages.url(library.getId()) + "&libraryName="
                        + PluginPages.url(library.getName());
                list.append("<li><a class=\"library\" href=\"").append(PluginPages.esc(next)).append("\">")
                        .append(PluginPages.esc(library.getName())).append("</a>").append(used(library)).append("</li>");
            }
            list.append("</ul>");
            PluginPages.page(resp, 200, "Choose a library in " + siteName, connections.notice(),
                    step(req, "Step 2 of 3: the library") + list
                    + "<p><a class=\"button\" href=\"" + PluginPages.esc("libraries?" + req.getQueryString())
                    + "\">Refresh</a> <a class=\"button\" href=\"" + PluginPages.esc("sites?connection="
                    + PluginPages.url(connection) + Purpose.of(req).query() + handBackQuery(req))
                    + "\">Another site</a></p>");
        } catch (PluginException e) {
            PluginPages.page(resp, 502, "The libraries could not be loaded", connections.notice(), "<p class=\"lead\">"
                    + PluginPages.esc(e.getMessage()) + "</p>");
        }
    }
}
