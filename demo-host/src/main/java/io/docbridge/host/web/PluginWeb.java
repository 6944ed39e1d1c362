package io.docbridge.host.web;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.api.Setup;
import io.docbridge.api.Setups;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web services the host gives each plugin: its pages inside the host's frame, and the setups its steps continue
 * and hand back. The plugin system is looked up when a page is rendered (it is made after these services).
 */
public final class PluginWeb {
    private final Pages pages;
    private final Supplier<PluginSystem> plugins;

    public PluginWeb(Pages pages, Supplier<PluginSystem> plugins) {
        this.pages = pages;
        this.plugins = plugins;
    }

    /** The plugin system, once it is made (null before). */
    public PluginSystem pluginSystem() {
        return plugins.get();
    }

    public io.docbridge.api.Pages pages(String pluginId) {
        return (req, resp, status, title, template, model) -> {
            ClassLoader loader = plugins.get().classLoader(pluginId).orElseThrow(() -> new PluginException(
                    ErrorKind.UNAVAILABLE, "The " + pluginId + " plugin is not running."));
            Map<String, Object> fragmentModel = new HashMap<>(model);
            fragmentModel.put("pluginBase", base(req, pluginId));
            String fragment = pages.renderPluginFragment(loader, template, req, fragmentModel);
            resp.setHeader("Cache-Control", "no-store");
            pages.render(req, resp, status, "plugin-page.ftlh", Map.of("title", title, "fragment", fragment,
                    "active", ""));
        };
    }

    public Setups setups(String pluginId) {
        return new Setups() {
            @Override
            public Optional<Setup> find(HttpServletRequest req, String id) {
                return SetupSessions.find(req, id).filter(kept -> kept.pluginId().equals(pluginId))
                        .map(kept -> kept.setup(id));
            }

            @Override
            public void handBack(HttpServletRequest req, HttpServletResponse resp, Setup setup,
                                 Map<String, String> values) throws IOException {
                SetupSessions.Kept kept = SetupSessions.find(req, setup.id())
                        .filter(k -> k.pluginId().equals(pluginId))
                        .orElseThrow(() -> new PluginException(ErrorKind.NOT_FOUND, "This setup has ended. Start "
                                + "again from where you began it."));
                Map<String, String> all = new HashMap<>(kept.values());
                all.putAll(values);
                SetupSessions.put(req.getSession(), setup.id(), new SetupSessions.Kept(kept.pluginId(),
                        kept.typeId(), kept.organisation(), kept.form(), kept.cancel(), Map.copyOf(all)));
                Web.redirect(req, resp, kept.form() + (kept.form().contains("?") ? "&" : "?") + "setup="
                        + URLEncoder.encode(setup.id(), StandardCharsets.UTF_8));
            }

            @Override
            public String cancelUrl(HttpServletRequest req, String setupId) {
                return req.getContextPath() + SetupSessions.find(req, setupId)
                        .filter(kept -> kept.pluginId().equals(pluginId)).map(SetupSessions.Kept::cancel).orElse("/");
            }
        };
    }

    /** The plugin's sign-in provider, if it is started and has one. */
    public Optional<io.docbridge.api.SignInProvider> signInProvider(String pluginId) {
        return plugins.get().extensions(io.docbridge.api.SignInProvider.class, pluginId).stream().findFirst();
    }

    static String base(HttpServletRequest req, String pluginId) {
        return req.getContextPath() + "/plugins/" + pluginId + "/";
    }
}
