package io.docbridge.host.web;

import io.docbridge.api.PlatformUser;
import io.docbridge.api.ServletRoute;
import io.docbridge.host.auth.User;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves {@code /plugins/<pluginId>/…} from the servlets started plugins contribute. Checks each route's access
 * and, except on public routes, the CSRF token of requests that change state; puts the {@link PlatformUser} on the
 * request; runs the plugin's servlet with the plugin's class loader as the context class loader.
 */
public final class PluginDispatcherServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("/plugins/([\\w.-]+)(/.*)?");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final transient PluginSystem plugins;
    private final transient Pages pages;
    private final transient Set<HttpServlet> initialised = Collections.newSetFromMap(new WeakHashMap<>());

    public PluginDispatcherServlet(PluginSystem plugins, Pages pages) {
        this.plugins = plugins;
        this.pages = pages;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        Matcher m = PATH.matcher(req.getRequestURI().substring(req.getContextPath().length()));
        if (!m.matches()) {
            notFound(req, resp);
            return;
        }
        String pluginId = m.group(1);
        String rest = m.group(2) == null ? "/" : m.group(2);
        ServletRoute route = null;
        String prefix = "";
        for (ServletRoute candidate : plugins.routes(pluginId)) {
            String p = candidate.path();
            if (p.endsWith("/*") && (rest.startsWith(p.substring(0, p.length() - 1)) || rest.equals(p.substring(0, p.length() - 2)))) {
                route = candidate;
                prefix = p.substring(0, p.length() - 2);
                break;
            }
            if (p.equals(rest)) {
                route = candidate;
                prefix = p;
                break;
            }
        }
        if (route == null) {
            notFound(req, resp);
            return;
        }
        User user = Web.user(req).orElse(null);
        if (route.access() != ServletRoute.Access.PUBLIC) {
            if (user == null) {
                Web.redirect(req, resp, "/login?next=" + URLEncoder.encode(req.getRequestURI(), StandardCharsets.UTF_8));
                return;
            }
            if (route.access() == ServletRoute.Access.ORG_ADMIN && !user.orgAdmin()) {
                pages.render(req, resp, 403, "error.ftlh", Map.of("heading", "Access denied",
                        "message", "This page is for organisation administrators."));
                return;
            }
            if (!SAFE_METHODS.contains(req.getMethod()) && !Csrf.valid(req)) {
                pages.render(req, resp, 403, "error.ftlh", Map.of("heading", "This form has expired",
                        "message", "The form was missing its security token. Nothing was changed. Reload the page "
                                + "and try again."));
                return;
            }
        }
        if (user != null) {
            req.setAttribute(PlatformUser.REQUEST_ATTRIBUTE, user.asPlatformUser());
        }
        HttpServlet servlet = route.servlet();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(servlet.getClass().getClassLoader());
        try {
            ensureInitialised(servlet, pluginId);
            String servletPath = "/plugins/" + pluginId + prefix;
            String pathInfo = rest.length() > prefix.length() ? rest.substring(prefix.length()) : null;
            servlet.service(new MountedRequest(req, servletPath, pathInfo), resp);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void ensureInitialised(HttpServlet servlet, String pluginId) throws ServletException {
        synchronized (initialised) {
            if (initialised.add(servlet)) {
                ServletContext context = getServletContext();
                servlet.init(new ServletConfig() {
                    @Override
                    public String getServletName() {
                        return pluginId + ":" + servlet.getClass().getName();
                    }

                    @Override
                    public ServletContext getServletContext() {
                        return context;
                    }

                    @Override
                    public String getInitParameter(String name) {
                        return null;
                    }

                    @Override
                    public Enumeration<String> getInitParameterNames() {
                        return Collections.emptyEnumeration();
                    }
                });
            }
        }
    }

    private void notFound(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        pages.render(req, resp, 404, "error.ftlh", Map.of("heading", "Not found",
                "message", "No running plugin serves this address."));
    }

    /** The request as the plugin's servlet sees it: mounted at its route. */
    private static final class MountedRequest extends HttpServletRequestWrapper {
        private final String servletPath;
        private final String pathInfo;

        MountedRequest(HttpServletRequest req, String servletPath, String pathInfo) {
            super(req);
            this.servletPath = servletPath;
            this.pathInfo = pathInfo;
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public String getPathInfo() {
            return pathInfo;
        }
    }
}
