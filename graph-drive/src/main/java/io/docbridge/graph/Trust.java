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

/**
 * The certificates a connection trusts: the JDK's own, plus any extra CA the settings give (a TLS-inspecting
 * company proxy, or the emulator). A server passes if either accepts it.
 */
final class Trust {
    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    Trust(String extraCaPem) {
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
            this.sslContext = SSLContext.getInstance("TLS");
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
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
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
