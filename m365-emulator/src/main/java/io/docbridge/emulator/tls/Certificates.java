package io.docbridge.emulator.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * The emulator's TLS identity: a CA of its own and a server certificate it signs, for the host names clients use
 * (localhost and 127.0.0.1 by default, plus any given, such as login.microsoftonline.com for DNS redirection).
 * Clients trust the CA, which is written out as PEM; it is the same thing a company behind a TLS-inspecting proxy
 * gives its clients.
 */
public final class Certificates {
    public static final char[] KEYSTORE_PASSWORD = "emulator".toCharArray();

    private final X509Certificate ca;
    private final KeyStore serverKeyStore;

    private Certificates(X509Certificate ca, KeyStore serverKeyStore) {
        this.ca = ca;
        this.serverKeyStore = serverKeyStore;
    }

    /** A fresh CA and a server certificate for the names; nothing is written. */
    public static Certificates generate(List<String> hostNames) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, random);
            KeyPair caKeys = rsa.generateKeyPair();
            KeyPair serverKeys = rsa.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=Docbridge M365 Emulator CA " + now.getEpochSecond());

            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), caName,
                    caKeys.getPublic());
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(caBuilder, caKeys);

            List<GeneralName> names = new ArrayList<>();
            for (String host : hostNames) {
                names.add(host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName,
                    new BigInteger(64, random), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(825))), new X500Name("CN=" + hostNames.get(0)),
                    serverKeys.getPublic());
            serverBuilder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            serverBuilder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            serverBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate server = sign(serverBuilder, caKeys);

            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", serverKeys.getPrivate(), KEYSTORE_PASSWORD,
                    new java.security.cert.Certificate[]{server, ca});
            return new Certificates(ca, keyStore);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("Could not generate the emulator's certificates", e);
        }
    }

    /** A PKCS12 key store the user supplies (its first key entry serves TLS); its chain's last cert is the CA. */
    public static Certificates fromKeyStore(Path pkcs12, char[] password) {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            String alias = keyStore.aliases().nextElement();
            java.security.cert.Certificate[] chain = keyStore.getCertificateChain(alias);
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            copy.setKeyEntry("server", keyStore.getKey(alias, password), KEYSTORE_PASSWORD, chain);
            return new Certificates((X509Certificate) chain[chain.length - 1], copy);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not read the key store " + pkcs12 + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    /** Writes the server key store (with the CA at the end of its chain), for the next start to load. */
    public void save(Path pkcs12) {
        try (var out = Files.newOutputStream(pkcs12)) {
            serverKeyStore.store(out, KEYSTORE_PASSWORD);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not write " + pkcs12, e);
        }
    }

    public KeyStore serverKeyStore() {
        return serverKeyStore;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The CA certificate as PEM, for clients to trust. */
    public String caPem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager for exactly the emulator's CA (OkHttp wants one beside the socket factory). */
    public javax.net.ssl.X509TrustManager trustManager() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("emulator-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts exactly the emulator's CA, for tests and clients in the same JVM. */
    public SSLContext clientContext() {
        return trusting(ca);
    }

    /** An SSL context that trusts the CAs in a PEM file (what a client configured with the CA file does). */
    public static SSLContext trustingPem(String pem) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return trusting(cert);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    private static SSLContext trusting(X509Certificate cert) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("emulator-ca", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
