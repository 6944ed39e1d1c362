package io.docbridge.bench;

import io.docbridge.emulator.tls.Certificates;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The yardstick for the emulator's upload path: the same Jetty and TLS as the emulator, with a servlet that reads a
 * fragment and throws it away, answering as an upload session does (202 and the next expected range). curl's
 * upload to it against curl's upload to the emulator says what the emulator's own work (staging to disk, hashing)
 * costs.
 */
final class TrivialServer implements AutoCloseable {
    private final Server server;
    private final Certificates certificates = Certificates.generate(List.of("localhost", "127.0.0.1"));
    private final int port;

    TrivialServer() throws Exception {
        server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificates.serverKeyStore());
        tls.setKeyStorePassword(new String(Certificates.KEYSTORE_PASSWORD));
        HttpConfiguration https = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Discarding()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    String url() {
        return "https://127.0.0.1:" + port + "/upload";
    }

    String caPem() {
        return certificates.caPem();
    }

    private static final class Discarding extends HttpServlet {
        @Override
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            try (InputStream in = req.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received += n;
                }
            }
            String range = req.getHeader("Content-Range"); // bytes a-b/size
            long end = range == null ? received - 1 : Long.parseLong(range.substring(range.indexOf('-') + 1,
                    range.indexOf('/')));
            resp.setStatus(202);
            resp.setContentType("application/json");
            resp.getOutputStream().write(("{\"nextExpectedRanges\":[\"" + (end + 1) + "-\"]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
