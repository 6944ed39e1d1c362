package io.docbridge.host.web;

import io.docbridge.api.ConfigurableType;
import io.docbridge.api.SettingField;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The form that configures an instance of a type (a storage provider, an external drive): the generic fields, or the
 * plugin's own template inside the host's frame. Shared by Settings → Storage and My Files.
 */
final class TypeForm {
    private TypeForm() {
    }

    /** The request parameter and hidden field that carry a setup's id (see {@link io.docbridge.api.Setup}). */
    static final String SETUP = "setup";

    /** Defaults, then what a plugin's setup steps handed back (never secrets); the name they suggested, if any. */
    static Map<String, String> prefill(ConfigurableType type, HttpServletRequest req, String name) {
        Map<String, String> values = new HashMap<>();
        type.settingFields().forEach(f -> values.put(f.name(), f.defaultValue()));
        values.putAll(handedBack(type, req));
        values.put("name", setup(type, req).map(kept -> kept.values().get("name")).filter(n -> !n.isBlank())
                .orElse(name));
        return values;
    }

    /** The declared, non-secret fields a plugin's setup steps handed back to the setup this request continues. */
    static Map<String, String> handedBack(ConfigurableType type, HttpServletRequest req) {
        Map<String, String> back = setup(type, req).map(SetupSessions.Kept::values).orElse(Map.of());
        Map<String, String> values = new HashMap<>();
        type.settingFields().stream().filter(f -> f.kind() != SettingField.Kind.SECRET && back.get(f.name()) != null)
                .forEach(f -> values.put(f.name(), back.get(f.name())));
        return values;
    }

    /** The setup of this type that the request continues ({@code ?setup=}), if the session has it. */
    private static Optional<SetupSessions.Kept> setup(ConfigurableType type, HttpServletRequest req) {
        return SetupSessions.find(req, req.getParameter(SETUP)).filter(kept -> kept.typeId().equals(type.id()));
    }

    /** The declared fields of a submitted form. */
    static Map<String, String> submitted(ConfigurableType type, HttpServletRequest req) {
        return submitted(type.settingFields(), req);
    }

    /** The values of a submitted form of these fields: a checkbox is "true" or "false", a missing field empty. */
    static Map<String, String> submitted(java.util.List<SettingField> fields, HttpServletRequest req) {
        Map<String, String> submitted = new HashMap<>();
        for (SettingField field : fields) {
            String value = req.getParameter(field.name());
            submitted.put(field.name(), field.kind() == SettingField.Kind.FLAG ? Boolean.toString(value != null)
                    : Optional.ofNullable(value).orElse(""));
        }
        return submitted;
    }

    /** The form again after a refusal: what was typed, except secrets, which are never sent back. */
    static Map<String, String> redisplay(ConfigurableType type, Map<String, String> submitted, String name) {
        Map<String, String> values = new HashMap<>(submitted);
        type.settingFields().stream().filter(f -> f.kind() == SettingField.Kind.SECRET)
                .forEach(f -> values.put(f.name(), ""));
        values.put("name", name);
        return values;
    }

    /** Makes the configured thing from the submitted name and settings; returns where to go next. */
    interface Save {
        /** @throws InputException naming the field that is not acceptable */
        String save(String name, Map<String, String> submitted);
    }

    /**
     * Handles a submitted type form: on success flashes "\"name\" " + {@code added} and goes where {@code save}
     * says; on refusal renders the form again with the values and the field's error.
     */
    static void submit(Pages pages, PluginSystem plugins, HttpServletRequest req, HttpServletResponse resp,
                       ConfigurableType type, Place place, String added, Save save) throws IOException {
        Map<String, String> submitted = submitted(type, req);
        String name = Optional.ofNullable(req.getParameter("name")).orElse("");
        try {
            String next = save.save(name, submitted);
            Web.flash(req, "success", "\"" + name.trim() + "\" " + added);
            Web.redirect(req, resp, next);
        } catch (InputException e) {
            render(pages, plugins, req, resp, 400, type, redisplay(type, submitted, name), Map.of(e.field(),
                    e.getMessage()), place);
        }
    }

    /**
     * Where the form sits: its heading, where it posts (and is shown: the page a plugin's setup steps hand back to),
     * where Cancel goes, the menu entry, the name's help, and whether what it sets up is the organisation's.
     */
    record Place(String heading, String action, String cancel, String active, String nameHelp, boolean organisation) {
        Place(String heading, String action, String cancel, String active, String nameHelp) {
            this(heading, action, cancel, active, nameHelp, false);
        }
    }

    static void render(Pages pages, PluginSystem plugins, HttpServletRequest req, HttpServletResponse resp, int status,
                       ConfigurableType type, Map<String, String> values, Map<String, String> errors, Place place)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("type", type);
        model.put("fields", type.settingFields());
        model.put("values", values);
        model.put("errors", errors);
        model.put("heading", place.heading());
        model.put("action", place.action());
        model.put("cancel", place.cancel());
        model.put("active", place.active());
        model.put("nameHelp", place.nameHelp());
        String template = type.settingsTemplate();
        Optional<String> pluginId = plugins.pluginOf(type);
        if (template != null && pluginId.isPresent()) {
            // The plugin's steps continue this form through a setup: the one the request names, or a new one.
            String setup = setup(type, req).isPresent() ? req.getParameter(SETUP) : SetupSessions.start(req,
                    new SetupSessions.Kept(pluginId.get(), type.id(), place.organisation(), place.action(),
                            place.cancel(), Map.of()));
            model.put("setup", setup);
            Map<String, Object> pluginModel = new HashMap<>(model);
            pluginModel.put("pluginBase", PluginWeb.base(req, pluginId.get()));
            pluginModel.put("organisation", place.organisation());
            model.put("fragment", pages.renderPluginFragment(type.getClass().getClassLoader(), template, req,
                    pluginModel));
        }
        pages.render(req, resp, status, "type-form.ftlh", model);
    }
}
