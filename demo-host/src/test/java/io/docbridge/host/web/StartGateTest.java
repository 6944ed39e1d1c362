package io.docbridge.host.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start gate in a real Jetty: what it lets through while the plugins start, and what it says when they take long. */
class StartGateTest {
    private final StartGate gate = new StartGate(new Pages(Map.of("appName", "Docbridge", "fmt", new Formats(), "notice", "")),
            Duration.ofMillis(200));
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("answered");
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void whileClosedOnlyTheSignInPageStaticFilesAndHealthChecksAnswer() throws Exception {
        assertEquals(200, send("GET", "/login").statusCode());
        assertEquals(200, send("GET", "/static/docbridge.css").statusCode());
        assertEquals(200, send("GET", "/readyz").statusCode());

        HttpResponse<String> signingIn = send("POST", "/login");
        assertEquals(503, signingIn.statusCode());
        assertEquals("5", signingIn.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(signingIn.body().contains("Docbridge is still starting"), signingIn.body());
        assertEquals(503, send("GET", "/documents").statusCode());
    }

    @Test
    void onceOpenEveryRequestGoesThrough() throws Exception {
        gate.open();

        assertEquals(200, send("POST", "/login").statusCode());
        assertEquals("answered", send("GET", "/documents").body());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
