package io.docbridge.host.web;

import freemarker.cache.ClassTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Renders FreeMarker pages. Templates are {@code .ftlh}, so every {@code ${…}} is HTML-escaped unless a template
 * says otherwise. Each page gets the signed-in user, the CSRF field and the flash messages besides its own model.
 */
public final class Pages {
    private final Configuration host;
    private final Map<ClassLoader, Configuration> pluginConfigs = new ConcurrentHashMap<>();
    private final Map<String, Object> globals;

    public Pages(Map<String, Object> globals) {
        this.host = configuration(new ClassTemplateLoader(Pages.class, "/templates"));
        this.globals = Map.copyOf(globals);
    }

    private static Configuration configuration(freemarker.cache.TemplateLoader loader) {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setTemplateLoader(loader);
        config.setDefaultEncoding("UTF-8");
        config.setOutputFormat(HTMLOutputFormat.INSTANCE);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setAPIBuiltinEnabled(false);
        return config;
    }

    /** Renders a host page with the given status. */
    public void render(HttpServletRequest req, HttpServletResponse resp, int status, String template,
                       Map<String, Object> model) throws IOException {
        String html = renderToString(host, template, withCommon(req, model));
        resp.setStatus(status);
        resp.setContentType("text/html; charset=UTF-8");
        resp.getWriter().write(html);
    }

    public void render(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, Object> model)
            throws IOException {
        render(req, resp, HttpServletResponse.SC_OK, template, model);
    }

    /** Renders a template from a plugin's class path (its own settings screen) to an HTML fragment. */
    public String renderPluginFragment(ClassLoader pluginLoader, String template, HttpServletRequest req,
                                       Map<String, Object> model) {
        Configuration config = pluginConfigs.computeIfAbsent(pluginLoader,
                loader -> configuration(new ClassTemplateLoader(loader, "")));
        return renderToString(config, template, withCommon(req, model));
    }

    /** Forgets a plugin's templates when it stops, so its class loader can go. */
    public void forget(ClassLoader pluginLoader) {
        pluginConfigs.remove(pluginLoader);
    }

    private Map<String, Object> withCommon(HttpServletRequest req, Map<String, Object> model) {
        Map<String, Object> all = new HashMap<>();
        // A global given as a Supplier is read per page (the offline notice comes and goes with the integration).
        globals.forEach((k, v) -> all.put(k, v instanceof Supplier<?> live ? live.get() : v));
        Web.user(req).ifPresent(u -> all.put("user", u));
        all.put("csrf", Map.of("name", Csrf.FIELD, "value", Csrf.token(req)));
        all.put("flashes", Web.takeFlashes(req));
        all.put("path", req.getRequestURI());
        all.putAll(model);
        return all;
    }

    private static String renderToString(Configuration config, String name, Map<String, Object> model) {
        try {
            Template template = config.getTemplate(name);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TemplateException e) {
            throw new IllegalStateException("Template " + name + " failed: " + e.getMessage(), e);
        }
    }
}
