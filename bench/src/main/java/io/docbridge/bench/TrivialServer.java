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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The yardsticks for the emulator's upload path: the same Jetty and TLS as the emulator, with a servlet that reads a
 * fragment and throws it away ({@link #url()}), and one that writes it into a file at its offset, as any server that
 * keeps an upload must ({@link #storingUrl()}); both answer as an upload session does (202 and the next expected
 * range). curl's upload to each against curl's upload to the emulator says what the emulator's own work costs
 * beyond the network (staging to disk, hashing), and beyond the disk (hashing and its bookkeeping).
 */
final class TrivialServer implements AutoCloseable {
    private final Server server;
    private final Certificates certificates = Certificates.generate(List.of("localhost", "127.0.0.1"));
    private final int port;

    private final Path stored;

    /** @param stored the file the storing servlet writes each upload into (replaced by the next upload) */
    TrivialServer(Path stored) throws Exception {
        this.stored = stored;
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
        context.addServlet(new ServletHolder(new Discarding()), "/upload");
        context.addServlet(new ServletHolder(new Storing()), "/store");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    String url() {
        return "https://127.0.0.1:" + port + "/upload";
    }

    /** Where an upload is written to a file. */
    String storingUrl() {
        return "https://127.0.0.1:" + port + "/store";
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
            accepted(req, resp, received);
        }
    }

    private final class Storing extends HttpServlet {
        @Override
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            long start = rangeStart(req);
            var options = start == 0 ? new OpenOption[]{StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING}
                    : new OpenOption[]{StandardOpenOption.WRITE};
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long received = 0;
            try (InputStream in = req.getInputStream();
                 FileChannel file = FileChannel.open(stored, options)) {
                for (int n; (n = in.read(buffer.array())) > 0; ) {
                    buffer.clear().limit(n);
                    while (buffer.hasRemaining()) {
                        file.write(buffer, start + received + buffer.position());
                    }
                    received += n;
                }
            }
            accepted(req, resp, received);
        }
    }

    /** Where a fragment starts: its Content-Range ("bytes a-b/size"), or 0 without one. */
    private static long rangeStart(HttpServletRequest req) {
        String range = req.getHeader("Content-Range");
        return range == null ? 0 : Long.parseLong(range.substring("bytes ".length(), range.indexOf('-')));
    }

    /** Answers as an upload session does: 202 and the next range it expects. */
    private static void accepted(HttpServletRequest req, HttpServletResponse resp, long received) throws IOException {
        long next = rangeStart(req) + received;
        resp.setStatus(202);
        resp.setContentType("application/json");
        resp.getOutputStream().write(("{\"nextExpectedRanges\":[\"" + next + "-\"]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
