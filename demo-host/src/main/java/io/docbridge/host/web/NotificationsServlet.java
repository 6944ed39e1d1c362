package io.docbridge.host.web;

import io.docbridge.host.drives.PushSync;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /notifications/<type id>}: where a drive's service tells the host that something changed (push sync).
 * Public, since the service has no session; what it says is only acted on when its clientState matches the one
 * the host chose, and then only as "sync this drive soon".
 */
public final class NotificationsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 1024 * 1024;

    private final transient PushSync push;

    public NotificationsServlet(PushSync push) {
        this.push = push;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String typeId = req.getPathInfo() == null ? "" : req.getPathInfo().replaceFirst("^/", "");
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY);
        }
        PushSync.Answer answer = push.received(typeId, query(req.getQueryString()), body);
        resp.setStatus(answer.status());
        if (!answer.body().isEmpty()) {
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().write(answer.body());
        }
    }

    /** The query string's parameters, decoded; read by hand so the body is left for the service's message. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
