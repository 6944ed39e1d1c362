package io.docbridge.onedrive;

import com.microsoft.graph.models.Drive;
import io.docbridge.api.HostContext;
import io.docbridge.api.PluginException;
import io.docbridge.api.PluginServlets;
import io.docbridge.api.ServletRoute;
import io.docbridge.graph.PluginConnections;
import io.docbridge.graph.PluginPages;
import io.docbridge.graph.SignInFlow;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pf4j.Extension;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Connect with Microsoft for a person's own OneDrive, under /plugins/onedrive/: any signed-in user may connect
 * their drive; the callback is public (a cross-site POST bound to its state) and leads back to My Files with the
 * drive found.
 */
@Extension
public final class OneDriveServlets implements PluginServlets {
    static final String ADD = "/files/add/" + OneDriveType.ID;

    @Override
    public List<ServletRoute> routes(HostContext host) {
        PluginConnections connections = OneDriveType.pluginConnections(host);
        return List.of(
                new ServletRoute("/connect", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        connect(connections, req, resp);
                    }
                }, ServletRoute.Access.USER),
                new ServletRoute("/" + PluginConnections.CALLBACK, new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        callback(connections, req, resp);
                    }
                }, ServletRoute.Access.PUBLIC));
    }

    private static void connect(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String back = Optional.ofNullable(req.getParameter("return")).orElse("");
        String returnTo = back.startsWith("/files/") ? back : "";
        try {
            resp.sendRedirect(connections.start(req.getParameter("connection"), false, returnTo, req).toString());
        } catch (PluginException e) {
            PluginPages.page(resp, 503, "Integration not available", "", "<p class=\"lead\" id=\"not-available\">"
                    + PluginPages.esc(e.getMessage()) + "</p>");
        }
    }

    private static void callback(PluginConnections connections, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        SignInFlow.Outcome outcome = connections.complete(req);
        String again = "<p><a class=\"button primary\" id=\"try-again\" href=\"connect\">Try again</a> "
                + "<a class=\"button\" href=\"/files\">Back to My Files</a></p>";
        if (outcome instanceof SignInFlow.Outcome.SignedIn s) {
            if (!s.returnTo().isEmpty()) {
                resp.setStatus(303);
                resp.setHeader("Location", s.returnTo());
                return;
            }
            try {
                Drive drive = connections.drives(s.connectionId()).myDrive();
                resp.setStatus(303);
                resp.setHeader("Location", ADD + "?connection=" + PluginPages.url(s.connectionId()) + "&account="
                        + PluginPages.url(s.account().username()) + "&drive=" + PluginPages.url(drive.getId())
                        + "&driveName=" + PluginPages.url(("personal".equals(drive.getDriveType()) ? "OneDrive (personal) · "
                        : "OneDrive · ") + s.account().username()));
            } catch (PluginException e) {
                PluginPages.page(resp, 502, "Your OneDrive could not be opened", connections.notice(),
                        "<p class=\"lead\">" + PluginPages.esc(e.getMessage()) + "</p>" + again);
            }
        } else {
            PluginPages.signInUnfinished(resp, connections.notice(), outcome,
                    "OneDrive needs to read and write your files to sync them into My Files.", again);
        }
    }
}
