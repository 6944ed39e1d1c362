package io.docbridge.host.signin;

import io.docbridge.api.HostContext;
import io.docbridge.api.SignInProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The callback of a plugin's sign-ins, at {@code /plugins/<pluginId>/callback}: the host finishes the sign-in, the
 * plugin shows what comes next. Public: the answer is bound to its state and to the browser session that started it.
 */
public final class SignInCallback extends HttpServlet {
    private final transient SignInProvider provider;
    private final transient HostSignIns signIns;
    private final transient HostContext host;

    public SignInCallback(SignInProvider provider, HostSignIns signIns, HostContext host) {
        this.provider = provider;
        this.signIns = signIns;
        this.host = host;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        provider.finished(req, resp, signIns.complete(req), host);
    }
}
