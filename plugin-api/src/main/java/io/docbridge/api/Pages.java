package io.docbridge.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * The host's page frame for a plugin's own pages (a setup step, a sign-in outcome): the plugin ships the content as
 * a FreeMarker template, the host puts it inside its layout (navigation, stylesheet, messages). A plugin never
 * writes HTML by hand and never names the host's addresses.
 */
public interface Pages {

    /**
     * Renders a template ({@code .ftlh}: every value HTML-escaped unless the template says otherwise) from the
     * plugin's class path as the content of a host page. Besides {@code model} the template gets {@code csrf} (the
     * {@code name} and {@code value} of the hidden input every form that changes something carries) and
     * {@code pluginBase} (the URL prefix of the plugin's servlets, ending in {@code /}).
     *
     * @param status the HTTP status of the page
     * @param title  the page's title and heading
     */
    void render(HttpServletRequest req, HttpServletResponse resp, int status, String title, String template,
                Map<String, ?> model) throws IOException;
}
