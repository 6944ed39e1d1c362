package io.docbridge.host.web;

import io.docbridge.host.drives.DrivePolicy;
import io.docbridge.host.drives.ExternalDrives;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Map;
import java.util.regex.Matcher;

/** Admin → Integrations: which external drives people may connect, and whether they may download from them. */
public final class IntegrationsAdminServlet extends PageServlet {
    private static final long serialVersionUID = 1L;

    private final transient ExternalDrives drives;
    private final String microsoft365;

    /** @param microsoft365 one line on how Microsoft 365 is reached (emulated, or the registration's tenant) */
    public IntegrationsAdminServlet(Pages pages, ExternalDrives drives, String microsoft365) {
        super(pages);
        this.drives = drives;
        this.microsoft365 = microsoft365;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/integrations", this::show)
                || r.post("/admin/integrations", this::save);
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DrivePolicy policy = drives.policy();
        pages.render(req, resp, "integrations.ftlh", Map.of("types", drives.types(), "microsoft365", microsoft365,
                "personalDrives", policy.personalDrives(), "downloads", policy.downloads()));
    }

    private void save(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        drives.policy().set(req.getParameter("personalDrives") != null, req.getParameter("downloads") != null);
        Web.flash(req, "success", "Integration settings saved.");
        Web.redirect(req, resp, "/admin/integrations");
    }
}
