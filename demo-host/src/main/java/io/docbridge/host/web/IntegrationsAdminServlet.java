package io.docbridge.host.web;

import io.docbridge.api.ExternalDriveType;
import io.docbridge.host.drives.DrivePolicy;
import io.docbridge.host.drives.ExternalDrives;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Admin → Integrations: which external drives people may connect, whether they may download from them, and the
 * drives an administrator connects once for everyone (organisation drives).
 */
public final class IntegrationsAdminServlet extends PageServlet {
    private static final long serialVersionUID = 1L;

    private final transient ExternalDrives drives;
    private final transient PluginSystem plugins;
    private final String microsoft365;

    /** @param microsoft365 one line on how Microsoft 365 is reached (emulated, or the registration's tenant) */
    public IntegrationsAdminServlet(Pages pages, ExternalDrives drives, PluginSystem plugins, String microsoft365) {
        super(pages);
        this.drives = drives;
        this.plugins = plugins;
        this.microsoft365 = microsoft365;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/integrations", this::show)
                || r.post("/admin/integrations", this::save)
                || r.get("/admin/integrations/drives/add/([\\w.-]+)", this::form)
                || r.post("/admin/integrations/drives/add/([\\w.-]+)", this::create);
    }

    private static TypeForm.Place place(ExternalDriveType type) {
        return new TypeForm.Place("Add " + type.displayName() + " for everyone", "/admin/integrations/drives/add/"
                + type.id(), "/admin/integrations", "integrations", "How the drive is shown in everyone's My Files.",
                true);
    }

    private ExternalDriveType organisationType(Matcher m) {
        return found(drives.organisationTypes().stream().filter(t -> t.id().equals(m.group(1))).findFirst());
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ExternalDriveType type = organisationType(m);
        TypeForm.render(pages, plugins, req, resp, 200, type,
                TypeForm.prefill(type, req, FilesServlet.suggestedName(type, req)), Map.of(), place(type));
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ExternalDriveType type = organisationType(m);
        Map<String, String> submitted = TypeForm.submitted(type, req);
        String name = Optional.ofNullable(req.getParameter("name")).orElse("");
        try {
            String id = drives.createForOrganisation(Web.requireUser(req), type.id(), name, submitted);
            Web.flash(req, "success", "\"" + name.trim() + "\" was added to everyone's My Files; its files are syncing.");
            Web.redirect(req, resp, "/files/" + id);
        } catch (InputException e) {
            TypeForm.render(pages, plugins, req, resp, 400, type, TypeForm.redisplay(type, submitted, name),
                    Map.of(e.field(), e.getMessage()), place(type));
        }
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        DrivePolicy policy = drives.policy();
        pages.render(req, resp, "integrations.ftlh", Map.of("types", drives.types(), "microsoft365", microsoft365,
                "personalDrives", policy.personalDrives(), "downloads", policy.downloads(),
                "organisationTypes", drives.organisationTypes(), "organisationDrives", drives.forOrganisation()));
    }

    private void save(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        drives.policy().set(req.getParameter("personalDrives") != null, req.getParameter("downloads") != null);
        Web.flash(req, "success", "Integration settings saved.");
        Web.redirect(req, resp, "/admin/integrations");
    }
}
