package io.docbridge.host.web;

import io.docbridge.host.plugins.PluginInfo;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Admin → Plugins: every plugin with its state and, for a failed one, the reason; start, stop, rescan. */
public final class PluginsAdminServlet extends PageServlet {
    private static final long serialVersionUID = 1L;

    private final transient PluginSystem plugins;
    private final String pluginsDir;

    public PluginsAdminServlet(Pages pages, PluginSystem plugins, String pluginsDir) {
        super(pages);
        this.plugins = plugins;
        this.pluginsDir = pluginsDir;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/plugins", this::list)
                || r.post("/admin/plugins/rescan", this::rescan)
                || r.post("/admin/plugins/([\\w.-]+)/(start|stop)", this::change);
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "plugins.ftlh", Map.of("plugins", plugins.plugins(), "pluginsDir", pluginsDir));
    }

    private void rescan(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        List<String> started = plugins.rescan();
        Web.flash(req, "info", started.isEmpty() ? "No new plugins found in " + pluginsDir + "."
                : "Loaded " + String.join(", ", started) + ".");
        Web.redirect(req, resp, "/admin/plugins");
    }

    private void change(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        PluginInfo plugin = found(plugins.plugin(m.group(1)));
        String state = (m.group(2).equals("start") ? plugins.start(plugin.id()) : plugins.stop(plugin.id())).name();
        boolean failed = state.equals("FAILED");
        Web.flash(req, failed ? "error" : "success", failed
                ? "Plugin " + plugin.id() + " failed to start: " + plugins.plugin(plugin.id()).map(PluginInfo::failure)
                .orElse("") : "Plugin " + plugin.id() + " is " + state.toLowerCase(java.util.Locale.ROOT) + ".");
        Web.redirect(req, resp, "/admin/plugins");
    }
}
