package io.docbridge.host.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The host's stylesheet, script and images from the class path, cached by browsers for a day. */
public final class StaticServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of("css", "text/css; charset=UTF-8",
            "js", "text/javascript; charset=UTF-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        if (!name.matches("/[\\w-]+\\.\\w+") || !TYPES.containsKey(ext)) {
            resp.sendError(404);
            return;
        }
        try (InputStream in = StaticServlet.class.getResourceAsStream("/static" + name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType(TYPES.get(ext));
            resp.setHeader("Cache-Control", "public, max-age=86400");
            in.transferTo(resp.getOutputStream());
        }
    }
}
