package io.docbridge.host.web;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProviderType;
import io.docbridge.host.plugins.PluginSystem;
import io.docbridge.host.storage.ProviderRecord;
import io.docbridge.host.storage.StorageProviders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Settings → Storage: the configured providers with their badges; Add Provider from every type the host and the
 * running plugins offer; Run Verification; Set as Default and Remove, each after a confirmation page (no script
 * needed, and the page says what will happen).
 */
public final class StorageSettingsServlet extends PageServlet {
    private static final long serialVersionUID = 1L;
    private static final String ID = "([0-9a-f-]{36})";

    private final transient StorageProviders storage;
    private final transient PluginSystem plugins;

    public StorageSettingsServlet(Pages pages, StorageProviders storage, PluginSystem plugins) {
        super(pages);
        this.storage = storage;
        this.plugins = plugins;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/settings/storage", this::list)
                || r.get("/settings/storage/add", this::types)
                || r.get("/settings/storage/add/([\\w.-]+)", this::form)
                || r.post("/settings/storage/add/([\\w.-]+)", this::create)
                || r.get("/settings/storage/" + ID + "/edit", this::editForm)
                || r.post("/settings/storage/" + ID + "/edit", this::edit)
                || r.post("/settings/storage/" + ID + "/verify", this::verify)
                || r.get("/settings/storage/" + ID + "/reconnect", this::reconnect)
                || r.get("/settings/storage/" + ID + "/reconnected", this::reconnected)
                || r.get("/settings/storage/" + ID + "/default", this::confirmDefault)
                || r.post("/settings/storage/" + ID + "/default", this::setDefault)
                || r.get("/settings/storage/" + ID + "/remove", this::confirmRemove)
                || r.post("/settings/storage/" + ID + "/remove", this::remove);
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "storage.ftlh", Map.of("providers", storage.all()));
    }

    private void types(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "storage-types.ftlh", Map.of("types", storage.types()));
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        StorageProviderType type = found(storage.type(m.group(1)));
        TypeForm.render(pages, plugins, req, resp, 200, type, TypeForm.prefill(type, req, type.displayName()),
                Map.of(), place(type));
    }

    private static TypeForm.Place place(StorageProviderType type) {
        return new TypeForm.Place("Add " + type.displayName(), "/settings/storage/add/" + type.id(), "/settings/storage",
                "storage", "How this storage is shown to administrators.", true);
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        StorageProviderType type = found(storage.type(m.group(1)));
        TypeForm.submit(pages, plugins, req, resp, type, place(type), "was added. Run Verification to check that it "
                + "works.", (name, submitted) -> "/settings/storage#provider-" + storage.create(type.id(), name, submitted,
                        Web.requireUser(req).asPlatformUser()));
    }

    /**
     * Edit: the type's form with the saved values; a plugin's setup step (another library, say) hands its choice
     * back here, as it does to the Add form.
     */
    private void editForm(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        StorageProviderType type = editable(provider);
        Map<String, String> values = new HashMap<>(storage.savedSettings(provider.id()));
        values.putAll(TypeForm.handedBack(type, req));
        values.put("name", provider.name());
        TypeForm.render(pages, plugins, req, resp, 200, type, values, Map.of(), editPlace(provider));
    }

    private void edit(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        StorageProviderType type = editable(provider);
        TypeForm.submit(pages, plugins, req, resp, type, editPlace(provider), "was saved. Revisions stored earlier "
                + "stay where they are; run Verification to check the new settings.", (name, submitted) -> {
                    storage.update(provider.id(), name, submitted, Web.requireUser(req).asPlatformUser());
                    return "/settings/storage#provider-" + provider.id();
                });
    }

    private StorageProviderType editable(ProviderRecord provider) {
        return storage.type(provider.typeId()).orElseThrow(() -> new PluginException(ErrorKind.UNAVAILABLE, "\""
                + provider.name() + "\" cannot be edited while its plugin is not running. Start it in Admin → "
                + "Plugins."));
    }

    private static TypeForm.Place editPlace(ProviderRecord provider) {
        return new TypeForm.Place("Edit " + provider.name(), "/settings/storage/" + provider.id() + "/edit",
                "/settings/storage#provider-" + provider.id(), "storage", "How this storage is shown to "
                + "administrators. Secret fields left empty keep their saved value.", true);
    }

    /** Reconnect: the provider's plugin signs it in again, then hands back to {@code reconnected}. */
    private void reconnect(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        SetupSessions.reconnect(req, resp, editable(provider), setup -> storage.reconnectPath(provider.id(), setup),
                plugins, true, "/settings/storage/" + provider.id() + "/reconnected",
                "/settings/storage#provider-" + provider.id());
    }

    /** Where Reconnect returns: a GET, so it changes nothing itself (verification writes a probe file). */
    private void reconnected(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        Web.flash(req, "success", provider.name() + ": signed in again. Run Verification to check that it works.");
        Web.redirect(req, resp, "/settings/storage#provider-" + provider.id());
    }

    /** Run Verification. */
    private void verify(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        Health health = storage.verify(provider.id());
        Web.flash(req, health.ok() ? "success" : "error", provider.name() + ": " + health.message());
        Web.redirect(req, resp, "/settings/storage#provider-" + provider.id());
    }

    private void confirmDefault(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        Health.Status status = provider.health().status();
        // Setting a broken storage as default would make every new upload fail: say so before, with the reason.
        String warning = status == Health.Status.FAILED || status == Health.Status.NEEDS_RECONNECT
                ? " Its last check " + (status == Health.Status.FAILED ? "failed" : "found its sign-in expired") + ": "
                + provider.health().message() + " Until that is fixed, new uploads will fail; "
                + (provider.reconnectUrl() == null ? "" : "Reconnect it, then ") + "run Verification first."
                : "";
        confirm(req, resp, provider, "default", "Make \"" + provider.name() + "\" the default?",
                "New revisions will be stored in " + provider.name() + ". Revisions stored earlier stay where they "
                        + "are and keep downloading from there." + warning, "Set as Default", !warning.isEmpty());
    }

    private void setDefault(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        try {
            storage.setDefault(provider.id());
            Web.flash(req, "success", "\"" + provider.name() + "\" is now the default storage.");
        } catch (InputException e) {
            Web.flash(req, "error", e.getMessage());
        }
        Web.redirect(req, resp, "/settings/storage");
    }

    private void confirmRemove(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        confirm(req, resp, provider, "remove", "Remove \"" + provider.name() + "\"?",
                "The connection and its saved credentials are removed. Files in the storage itself are not touched. "
                        + "A provider that holds revisions, or is the default, cannot be removed.", "Remove", true);
    }

    /** A confirmation page whose button posts to the provider's action. */
    private void confirm(HttpServletRequest req, HttpServletResponse resp, ProviderRecord provider, String action,
                         String heading, String message, String button, boolean danger) throws Exception {
        pages.render(req, resp, "confirm.ftlh", Map.of("heading", heading, "message", message,
                "action", "/settings/storage/" + provider.id() + "/" + action, "button", button, "danger", danger,
                "back", "/settings/storage"));
    }

    private void remove(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        ProviderRecord provider = found(storage.find(m.group(1)));
        try {
            storage.remove(provider.id());
            Web.flash(req, "success", "\"" + provider.name() + "\" was removed.");
        } catch (InputException e) {
            Web.flash(req, "error", e.getMessage());
        }
        Web.redirect(req, resp, "/settings/storage");
    }
}
