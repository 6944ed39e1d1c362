package io.docbridge.graph;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates a connection trusts: the JDK's own, plus any extra CA the settings give (a TLS-inspecting
 * company proxy, or the emulator). A server passes if either accepts it.
 */
final class Trust {
    /**
     * By extra CA: reading the JDK's trusted certificates and making an SSL context costs tens of milliseconds, and
     * each sign-in, token refresh client and transport of a connection needs one. There are as many as clouds and
     * CAs configured, a handful.
     */
    private static final Map<String, Trust> byExtraCa = new ConcurrentHashMap<>();

    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    /** The trust for the extra CA (none if null or blank), made once. */
    static Trust of(String extraCaPem) {
        return byExtraCa.computeIfAbsent(extraCaPem == null ? "" : extraCaPem.strip(), Trust::new);
    }

    private Trust(String extraCaPem) {
        try {
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add(managerFor(null));
            if (extraCaPem != null && !extraCaPem.isBlank()) {
                KeyStore extra = KeyStore.getInstance("PKCS12");
                extra.load(null, null);
                int i = 0;
                Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(extraCaPem.getBytes(StandardCharsets.US_ASCII)));
                for (var cert : certs) {
                    extra.setCertificateEntry("extra-" + i++, cert);
                }
                managers.add(managerFor(extra));
            }
            this.trustManager = new Either(managers);
            this.sslContext = NativeTls.available() ? SSLContext.getInstance("TLS", NativeTls.provider())
                    : SSLContext.getInstance("TLS");
            sslContext.init(null, new javax.net.ssl.TrustManager[]{trustManager}, null);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("The trusted certificate is not a valid PEM certificate: "
                    + e.getMessage(), e);
        }
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    SSLContext sslContext() {
        return sslContext;
    }

    private static X509TrustManager managerFor(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    /** Accepts a server chain that any of the managers accepts. */
    private record Either(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            // Conscrypt names a TLS 1.3 handshake's key exchange GENERIC; the JDK's managers know it as UNKNOWN
            // (TLS 1.3 does not tie the certificate's key to the key exchange) and refuse any other word.
            String exchange = "GENERIC".equals(authType) ? "UNKNOWN" : authType;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, exchange);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
