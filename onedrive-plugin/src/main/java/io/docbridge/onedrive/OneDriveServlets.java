package io.docbridge.onedrive;

import com.microsoft.graph.models.Drive;
import io.docbridge.api.HostContext;
import io.docbridge.api.OAuthClient;
import io.docbridge.api.PluginException;
import io.docbridge.api.PluginServlets;
import io.docbridge.api.ServletRoute;
import io.docbridge.api.Setup;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.docbridge.graph.SetupPages.url;

/**
 * Connect with Microsoft for a person's own OneDrive, under /plugins/onedrive/: the one step of the host's setup for
 * a OneDrive drive, a sign-in the host runs with this plugin's {@link OAuthClient}. Any signed-in user may connect
 * their drive; after the sign-in, the drive found is handed back to the setup.
 */
@Extension
public final class OneDriveServlets implements PluginServlets, SignInProvider {
    private static final String WHY_CONSENT = "OneDrive needs to read and write your files to sync them into My Files.";

    @Override
    public OAuthClient client(HostContext host) {
        return OneDriveType.pluginConnections(host).client();
    }

    @Override
    public List<ServletRoute> routes(HostContext host) {
        return List.of(new ServletRoute("/connect", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                connect(host, req, resp);
            }
        }, ServletRoute.Access.USER));
    }

    private static void connect(HostContext host, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        Optional<Setup> setup = SetupPages.setup(host, req, resp);
        if (setup.isEmpty()) {
            return;
        }
        try {
            resp.sendRedirect(host.signIns().start(req, req.getParameter("connection"), false, setup.get().id())
                    .toString());
        } catch (PluginException e) {
            SetupPages.message(host, req, resp, 503, "Integration not available", "not-available", e.getMessage(),
                    e.kind().advice(), SetupPages.back(host, req, setup.get().id()));
        }
    }

    /** After a sign-in: the person's drive goes back to the setup (signing in again: nothing else changes). */
    @Override
    public void finished(HttpServletRequest req, HttpServletResponse resp, SignInResult outcome, HostContext host)
            throws IOException {
        PluginConnections connections = OneDriveType.pluginConnections(host);
        String setupId = outcome.setup();
        Optional<Setup> setup = host.setups().find(req, setupId);
        String back = host.setups().cancelUrl(req, setupId);
        String tryAgain = setup.isPresent() ? "connect?setup=" + url(setupId) : "";
        if (!(outcome instanceof SignInResult.SignedIn s)) {
            SetupPages.signInUnfinished(host, req, resp, outcome, WHY_CONSENT, tryAgain, back);
            return;
        }
        if (setup.isEmpty()) {
            SetupPages.signedInWithoutSetup(host, req, resp, setupId);
            return;
        }
        if (s.again()) {
            host.setups().handBack(req, resp, setup.get(), Map.of()); // Reconnect: nothing else changes
            return;
        }
        try {
            Drive drive = connections.drives(s.connectionId()).myDrive();
            String name = ("personal".equals(drive.getDriveType()) ? "OneDrive (personal) · " : "OneDrive · ")
                    + s.account().username();
            host.setups().handBack(req, resp, setup.get(), Map.of("connection", s.connectionId(), "account",
                    s.account().username(), "drive", drive.getId(), "driveName", name, "name", name));
        } catch (PluginException e) {
            SetupPages.message(host, req, resp, 502, "Your OneDrive could not be opened", "onedrive-error",
                    e.getMessage(), e.kind().advice(), new Link("try-again", "Try again", tryAgain),
                    new Link("back", "Back", back));
        }
    }
}
