package io.docbridge.host.web;

import io.docbridge.api.ExternalDriveType;
import io.docbridge.host.Microsoft365;
import io.docbridge.host.drives.DrivePolicy;
import io.docbridge.host.drives.ExternalDrives;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.HashMap;
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
    private final transient Microsoft365 microsoft365;

    public IntegrationsAdminServlet(Pages pages, ExternalDrives drives, PluginSystem plugins, Microsoft365 microsoft365) {
        super(pages);
        this.drives = drives;
        this.plugins = plugins;
        this.microsoft365 = microsoft365;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/integrations", this::show)
                || r.post("/admin/integrations", this::save)
                || r.post("/admin/integrations/microsoft365", this::saveRegistration)
                || r.post("/admin/integrations/microsoft365/emulator", this::useEmulator)
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
                TypeForm.prefill(type, req, type.displayName()), Map.of(), place(type));
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ExternalDriveType type = organisationType(m);
        TypeForm.submit(pages, plugins, req, resp, type, place(type), "was added to everyone's My Files; its files are "
                + "syncing.", (name, submitted) -> "/files/" + drives.createForOrganisation(Web.requireUser(req),
                type.id(), name, submitted));
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        show(req, resp, 200, Map.of(), Map.of());
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, int status, Map<String, String> form,
                      Map<String, String> errors) throws Exception {
        DrivePolicy policy = drives.policy();
        Map<String, String> registration = new HashMap<>(form);
        microsoft365.registration().ifPresent(r -> {
            registration.putIfAbsent("cloud", r.cloud());
            registration.putIfAbsent("tenant", r.tenant());
            registration.putIfAbsent("clientId", r.clientId());
            registration.putIfAbsent("personalAccounts", Boolean.toString(r.personalAccounts()));
        });
        registration.remove("clientSecret"); // never rendered back, not even what was just typed
        Map<String, Object> model = new HashMap<>();
        model.put("types", drives.types());
        model.put("microsoft365", microsoft365.describe());
        model.put("source", microsoft365.source().name());
        model.put("emulatorAvailable", microsoft365.emulatorAvailable());
        model.put("clouds", Microsoft365.CLOUDS);
        model.put("redirectUris", microsoft365.redirectUris());
        model.put("registration", registration);
        model.put("errors", errors);
        model.put("personalDrives", policy.personalDrives());
        model.put("downloads", policy.downloads());
        model.put("organisationTypes", drives.organisationTypes());
        model.put("organisationDrives", drives.forOrganisation());
        model.put("push", drives.push().summary());
        pages.render(req, resp, status, "integrations.ftlh", model);
    }

    private void saveRegistration(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        try {
            microsoft365.save(req.getParameter("cloud"), req.getParameter("tenant"), req.getParameter("clientId"),
                    req.getParameter("clientSecret"), req.getParameter("personalAccounts") != null);
            Web.flash(req, "success", "App registration saved. Docbridge now signs in to Microsoft 365 with it; "
                    + "people connect again if their drives were on another tenant.");
            Web.redirect(req, resp, "/admin/integrations");
        } catch (InputException e) {
            Map<String, String> form = new HashMap<>();
            for (String name : new String[]{"cloud", "tenant", "clientId"}) {
                form.put(name, Optional.ofNullable(req.getParameter(name)).orElse(""));
            }
            form.put("personalAccounts", Boolean.toString(req.getParameter("personalAccounts") != null));
            show(req, resp, 400, form, Map.of(e.field(), e.getMessage()));
        }
    }

    private void useEmulator(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        microsoft365.useEmulator();
        Web.flash(req, "success", "Docbridge uses the built-in Microsoft 365 emulator again (offline demo).");
        Web.redirect(req, resp, "/admin/integrations");
    }

    private void save(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        drives.policy().set(req.getParameter("personalDrives") != null, req.getParameter("downloads") != null);
        Web.flash(req, "success", "Integration settings saved.");
        Web.redirect(req, resp, "/admin/integrations");
    }
}
