package io.docbridge.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Base64;

/** What the instances of one test cluster share: a secret key and a public (load balancer's) address. */
public final class Cluster {
    private Cluster() {
    }

    /** A new key that encrypts secrets at rest, as DOCBRIDGE_SECRET_KEY takes it (base64 of 32 bytes). */
    public static String newSecretKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** An address nothing listens on, to register as the load balancer's: requests go to the instances directly. */
    public static String balancerAddress() {
        try (ServerSocket unused = new ServerSocket(0)) {
            return "http://localhost:" + unused.getLocalPort() + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
