package io.docbridge.host.web;

import io.docbridge.api.ExternalDriveType;
import io.docbridge.api.Integration;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.host.OfflineDemo;
import io.docbridge.host.integrations.Integrations;
import io.docbridge.host.services.HostServices;
import io.docbridge.host.drives.DrivePolicy;
import io.docbridge.host.drives.ExternalDrives;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Admin → Integrations: the services the plugins are registered with (each {@link io.docbridge.api.Integration}
 * as a form drawn from its fields), which external drives people may connect, whether they may download from them,
 * and the drives an administrator connects once for everyone (organisation drives).
 */
public final class IntegrationsAdminServlet extends PageServlet {
    private static final long serialVersionUID = 1L;

    private final transient ExternalDrives drives;
    private final transient PluginSystem plugins;
    private final transient HostServices services;
    private final transient OfflineDemo demo;

    public IntegrationsAdminServlet(Pages pages, ExternalDrives drives, PluginSystem plugins, HostServices services,
                                    OfflineDemo demo) {
        super(pages);
        this.drives = drives;
        this.plugins = plugins;
        this.services = services;
        this.demo = demo;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/integrations", this::show)
                || r.post("/admin/integrations", this::save)
                || r.post("/admin/integrations/([\\w.-]+)/emulator", this::useEmulator)
                || r.post("/admin/integrations/([\\w.-]+)", this::saveIntegration)
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
        Map<String, Object> model = new HashMap<>();
        model.put("integrations", integrations(form, errors));
        model.put("types", drives.types());
        model.put("personalDrives", policy.personalDrives());
        model.put("downloads", policy.downloads());
        model.put("organisationTypes", drives.organisationTypes());
        model.put("organisationDrives", drives.forOrganisation());
        model.put("push", drives.push().summary());
        pages.render(req, resp, status, "integrations.ftlh", model);
    }

    /**
     * Each integration as its card shows it: where its values come from, its fields with the saved values (never a
     * secret) or what was just typed, the errors, what to register at the service, and whether the offline demo's
     * emulator can stand in for it.
     */
    private List<Map<String, Object>> integrations(Map<String, String> form, Map<String, String> errors) {
        Integrations integrations = services.integrations();
        List<Map<String, Object>> cards = new ArrayList<>();
        for (Integration integration : integrations.all()) {
            String id = integration.id();
            Integrations.Source source = integrations.source(id);
            boolean submitted = id.equals(form.get(FORM));
            Map<String, String> values = new HashMap<>(submitted ? form : integrations.savedForForm(id));
            integration.settingFields().stream().filter(f -> f.kind() == SettingField.Kind.SECRET)
                    .forEach(f -> values.remove(f.name())); // never rendered back, not even what was just typed
            String prefix = integration.environmentPrefix();
            String state = switch (source) {
                case ENVIRONMENT -> integration.summary(integrations.values(id)) + ", set by the environment.";
                case SAVED -> integration.summary(integrations.values(id)) + ", saved here.";
                case DEMO -> demo.state();
                case NONE -> "Not configured: " + (id.equals(demo.integrationId()) ? demo.startFailure()
                        .map(why -> "the built-in emulator could not start (" + why + "); ").orElse("") : "")
                        + "enter the values below, or set " + prefix + "* (see README).";
            };
            Map<String, Object> card = new HashMap<>();
            card.put("integration", integration);
            card.put("source", source.name());
            card.put("state", state);
            card.put("environmentPrefix", prefix);
            card.put("fields", integration.settingFields());
            card.put("values", values);
            card.put("errors", submitted ? errors : Map.of());
            card.put("notes", integrations.notes(id, services::forPlugin));
            card.put("emulatorAvailable", id.equals(demo.integrationId()) && demo.available());
            cards.add(card);
        }
        return cards;
    }

    /** The hidden field that says which integration's form was sent back with errors. */
    private static final String FORM = "_integration";

    private void saveIntegration(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Integration integration = found(services.integrations().find(m.group(1)));
        Map<String, String> submitted = TypeForm.submitted(integration.settingFields(), req);
        try {
            services.integrations().save(integration.id(), submitted);
            Web.flash(req, "success", integration.displayName() + " saved. The plugins use it from now on; people "
                    + "connect again if their drives were made with other values.");
            Web.redirect(req, resp, "/admin/integrations");
        } catch (SettingsException e) {
            Map<String, String> form = new HashMap<>(submitted);
            form.put(FORM, integration.id());
            show(req, resp, 400, form, Map.of(e.field(), e.getMessage()));
        }
    }

    private void useEmulator(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        if (!m.group(1).equals(demo.integrationId()) || !demo.available()) {
            Web.flash(req, "error", "The built-in emulator is not available on this host.");
        } else {
            try {
                demo.use();
                Web.flash(req, "success", "Docbridge uses the built-in Microsoft 365 emulator again (offline demo).");
            } catch (RuntimeException e) {
                Web.flash(req, "error", "The built-in emulator could not start: " + e.getMessage()
                        + ". Free its port (or choose another with --emulator-port) and try again.");
            }
        }
        Web.redirect(req, resp, "/admin/integrations");
    }

    private void save(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        drives.policy().set(req.getParameter("personalDrives") != null, req.getParameter("downloads") != null);
        Web.flash(req, "success", "Integration settings saved.");
        Web.redirect(req, resp, "/admin/integrations");
    }
}
