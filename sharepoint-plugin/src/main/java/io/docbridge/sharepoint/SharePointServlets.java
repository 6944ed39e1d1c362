package io.docbridge.sharepoint;

import com.microsoft.graph.models.Drive;
import com.microsoft.graph.models.Site;
import io.docbridge.api.HostContext;
import io.docbridge.api.OAuthClient;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.PluginServlets;
import io.docbridge.api.ServletRoute;
import io.docbridge.api.Setup;
import io.docbridge.api.SignInAccount;
import io.docbridge.api.SignInProvider;
import io.docbridge.api.SignInResult;
import io.docbridge.graph.PluginConnections;
import io.docbridge.graph.SetupPages.Link;
import io.docbridge.graph.SetupPages;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pf4j.Extension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.docbridge.graph.SetupPages.url;

/**
 * The steps of the host's setups for SharePoint storage and SharePoint library drives, under /plugins/sharepoint/:
 * Connect with Microsoft (a sign-in the host runs with this plugin's {@link OAuthClient}), what follows it, and the
 * site and library pickers. Each step carries the setup's id; the chosen library is handed back to it.
 */
@Extension
public final class SharePointServlets implements PluginServlets, SignInProvider {

    @Override
    public OAuthClient client(HostContext host) {
        return new PluginConnections(host).client();
    }

    @Override
    public void finished(HttpServletRequest req, HttpServletResponse resp, SignInResult result, HostContext host)
            throws IOException {
        new Steps(host, new PluginConnections(host)).signedIn(req, resp, result);
    }

    @Override
    public List<ServletRoute> routes(HostContext host) {
        Steps steps = new Steps(host, new PluginConnections(host));
        return List.of(
                new ServletRoute("/connect", get(steps::connect), ServletRoute.Access.USER),
                new ServletRoute("/sites", get(steps.picker(steps::sites)), ServletRoute.Access.USER),
                new ServletRoute("/libraries", get(steps.picker(steps::libraries)), ServletRoute.Access.USER),
                new ServletRoute("/choose", get(steps.picker(steps::choose)), ServletRoute.Access.USER));
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

    /** The steps, for one plugin start. */
    private record Steps(HostContext host, PluginConnections connections) {

        /** Starts a sign-in: for a new connection, or again for an existing one (Reconnect). */
        void connect(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Optional<Setup> setup = SetupPages.setup(host, req, resp);
            if (setup.isEmpty()) {
                return;
            }
            if (setup.get().organisation() && !PlatformUser.of(req).orgAdmin()) {
                SetupPages.message(host, req, resp, 403, "Administrators only", "forbidden", "Only an administrator "
                        + "connects the organisation's storage and drives to Microsoft 365.", "");
                return;
            }
            try {
                resp.sendRedirect(host.signIns().start(req, param(req, "connection"), setup.get().organisation(),
                        setup.get().id()).toString());
            } catch (PluginException e) {
                SetupPages.message(host, req, resp, 503, "Integration not available", "not-available",
                        e.getMessage(), e.kind().advice(), SetupPages.back(host, req, setup.get().id()));
            }
        }

        /** After a sign-in: the site picker, or (signing in again) back to the setup; else why not. */
        void signedIn(HttpServletRequest req, HttpServletResponse resp, SignInResult result) throws IOException {
            String setupId = result.setup();
            Optional<Setup> setup = host.setups().find(req, setupId);
            if (result instanceof SignInResult.SignedIn s && setup.isPresent()) {
                if (s.again()) {
                    host.setups().handBack(req, resp, setup.get(), Map.of()); // Reconnect: nothing else changes
                } else {
                    resp.setStatus(303);
                    resp.setHeader("Location", "sites?connection=" + url(s.connectionId()) + "&setup="
                            + url(setupId));
                }
            } else if (result instanceof SignInResult.SignedIn) {
                SetupPages.signedInWithoutSetup(host, req, resp, setupId);
            } else {
                SetupPages.signInUnfinished(host, req, resp, result, whyConsent(setup), setup.isPresent()
                        ? "connect?setup=" + url(setupId) : "", host.setups().cancelUrl(req, setupId));
            }
        }

        private static String whyConsent(Optional<Setup> setup) {
            if (setup.isPresent() && SharePointLibraryType.ID.equals(setup.get().typeId())) {
                return setup.get().organisation() ? "Docbridge needs to read and write files in the library you "
                        + "choose to sync it into everyone's My Files." : "Docbridge needs to read and write files in "
                        + "the library you choose to sync it into My Files.";
            }
            return "SharePoint Online storage needs to read and write files in the library you choose.";
        }

        void sites(HttpServletRequest req, HttpServletResponse resp, Picking picking) throws IOException {
            Setup setup = picking.setup();
            String connection = picking.connection();
            String base = picking.query();
            try {
                if (!param(req, "url").isBlank()) {
                    Site site = connections.drives(connection).siteByUrl(param(req, "url"));
                    resp.setStatus(303);
                    resp.setHeader("Location", "libraries?" + base + "&site=" + url(site.getId()) + "&siteName="
                            + url(site.getDisplayName()));
                    return;
                }
                List<Map<String, String>> sites = new ArrayList<>();
                for (Site site : connections.drives(connection).searchSites(param(req, "q"))) {
                    sites.add(Map.of("name", site.getDisplayName(), "url", Optional.ofNullable(site.getWebUrl())
                            .orElse(""), "link", "libraries?" + base + "&site=" + url(site.getId()) + "&siteName="
                            + url(site.getDisplayName())));
                }
                host.pages().render(req, resp, 200, "Choose a site", "sharepoint/sites.ftlh", Map.of("connection",
                        connection, "account", signedInAs(connection), "setup", setup.id(), "q",
                        param(req, "q"), "sites", sites, "cancel", host.setups().cancelUrl(req, setup.id())));
            } catch (PluginException e) {
                SetupPages.message(host, req, resp, 502, "The sites could not be loaded", "sites-error",
                        e.getMessage(), e.kind().advice(), new Link("another-address",
                                "Search or paste another address", "sites?" + base),
                        new Link("connect-again", "Connect again", "connect?setup=" + url(setup.id())));
            }
        }

        void libraries(HttpServletRequest req, HttpServletResponse resp, Picking picking) throws IOException {
            String connection = picking.connection();
            String base = picking.query();
            String site = param(req, "site");
            String siteName = param(req, "siteName");
            try {
                List<Map<String, String>> libraries = new ArrayList<>();
                for (Drive library : connections.drives(connection).libraries(site)) {
                    libraries.add(Map.of("name", library.getName(), "used", used(library), "link", "choose?" + base
                            + "&site=" + url(site) + "&siteName=" + url(siteName) + "&library="
                            + url(library.getId()) + "&libraryName=" + url(library.getName())));
                }
                host.pages().render(req, resp, 200, "Choose a library in " + siteName, "sharepoint/libraries.ftlh",
                        Map.of("libraries", libraries, "refresh", "libraries?" + req.getQueryString(),
                                "otherSite", "sites?" + base, "cancel",
                                host.setups().cancelUrl(req, picking.setup().id())));
            } catch (PluginException e) {
                SetupPages.message(host, req, resp, 502, "The libraries could not be loaded", "libraries-error",
                        e.getMessage(), e.kind().advice(), new Link("another-site", "Another site", "sites?" + base));
            }
        }

        /** The chosen library goes back to the host's form, with a name for it. */
        void choose(HttpServletRequest req, HttpServletResponse resp, Picking picking) throws IOException {
            Setup setup = picking.setup();
            String connection = picking.connection();
            String siteName = param(req, "siteName");
            String libraryName = param(req, "libraryName");
            boolean storage = SharePointStorageType.ID.equals(setup.typeId());
            String account = storage && PluginConnections.APP_ONLY.equals(connection) ? "App-only access"
                    : signedInAs(connection);
            host.setups().handBack(req, resp, setup, Map.of("connection", connection, "account", account,
                    "site", param(req, "site"), "siteName", siteName, "library",
                    param(req, "library"), "libraryName", libraryName, "name", storage ? "SharePoint Online · "
                            + libraryName : siteName + " · " + libraryName));
        }

        /** A picker's request: the setup it continues and the connection it browses with. */
        private record Picking(Setup setup, String connection) {
            /** The query that carries both to the next step. */
            String query() {
                return "connection=" + url(connection) + "&setup=" + url(setup.id());
            }
        }

        private interface PickerStep {
            void handle(HttpServletRequest req, HttpServletResponse resp, Picking picking) throws IOException;
        }

        /** A picker's step, run only with a setup and connection the person may use (else a page says why). */
        Handler picker(PickerStep step) {
            return (req, resp) -> {
                Optional<Setup> setup = SetupPages.setup(host, req, resp);
                String connection = param(req, "connection");
                if (setup.isPresent() && mayUse(req, resp, setup.get(), connection)) {
                    step.handle(req, resp, new Picking(setup.get(), connection));
                }
            };
        }

        /**
         * Whether the person may use the connection for this setup: theirs (or the organisation's for an
         * administrator), and app-only access only for the organisation's setups. Else says so.
         */
        private boolean mayUse(HttpServletRequest req, HttpServletResponse resp, Setup setup, String connection)
                throws IOException {
            boolean appOnly = PluginConnections.APP_ONLY.equals(connection);
            if (appOnly ? setup.organisation() && PlatformUser.of(req).orgAdmin()
                    : connections.mayUse(connection, PlatformUser.of(req))) {
                return true;
            }
            SetupPages.message(host, req, resp, 403, "Not your connection", "forbidden", "This Microsoft "
                    + "connection belongs to someone else. Sign in with your own account.", "", new Link(
                    "connect-own", "Sign in with Microsoft", "connect?setup=" + url(setup.id())));
            return false;
        }

        /** Who the connection is signed in as, as recorded at its sign-in: never taken from the URL. Empty for app-only. */
        private String signedInAs(String connection) {
            return PluginConnections.APP_ONLY.equals(connection) ? ""
                    : connections.account(connection).map(SignInAccount::username).orElse("");
        }

        /** How much of the library's storage is used, where Graph gives it ({@code quota.used}). */
        private static String used(Drive library) {
            return library.getQuota() == null || library.getQuota().getUsed() == null ? ""
                    : SetupPages.size(library.getQuota().getUsed());
        }
    }
}
