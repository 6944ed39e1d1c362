package io.docbridge.graph;

import io.docbridge.emulator.tls.Certificates;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.util.List;

/**
 * An HTTPS server on a free port that offers HTTP/2 and HTTP/1.1 over ALPN, as the emulator (HTTP/1.1 only) does not:
 * for what the Graph clients do when a server offers HTTP/2.
 */
final class Http2Server implements AutoCloseable {
    private final Certificates certificates = Certificates.generate(List.of("localhost", "127.0.0.1"));
    private final Server server = new Server();
    private final ServerConnector connector;

    Http2Server(Handler handler) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificates.serverKeyStore());
        tls.setKeyStorePassword(new String(Certificates.KEYSTORE_PASSWORD));
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                new HTTP2ServerConnectionFactory(https), http11);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + connector.getLocalPort() + "/";
    }

    /** A connection to this server as if it were Graph, trusting its CA. */
    GraphConnection connection() {
        return new GraphConnection(GraphCloud.standIn("HTTP/2", java.net.URI.create(url())),
                "contoso.onmicrosoft.com", "client", "secret", certificates.caPem());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
