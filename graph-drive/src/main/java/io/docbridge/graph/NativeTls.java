package io.docbridge.graph;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;

/**
 * TLS in native code (Conscrypt, Google's Java binding of BoringSSL) for the Graph clients, where its library loads
 * (Linux, macOS and Windows on x86-64). The JDK's own TLS runs AES-GCM in Java until the JIT has compiled it, and in
 * JDK 17 without the processor's wide AES instructions: moving a gigabyte cost our client twice rclone's CPU. The
 * provider is only handed to our own SSL contexts, never installed for the whole JVM, so the host and other plugins
 * keep the JDK's. {@code -Ddocbridge.tls=jdk} turns it off.
 */
final class NativeTls {
    private static final Logger log = LoggerFactory.getLogger(NativeTls.class);
    private static final Provider provider = load();

    private NativeTls() {
    }

    static boolean available() {
        return provider != null;
    }

    static Provider provider() {
        return provider;
    }

    private static Provider load() {
        if ("jdk".equals(System.getProperty("docbridge.tls"))) {
            return null;
        }
        try {
            Conscrypt.checkAvailability();
            return Conscrypt.newProvider();
        } catch (Throwable e) { // UnsatisfiedLinkError or the like, wrapped or not: no library for this platform
            log.info("Native TLS (Conscrypt) is not available here ({}); the JDK's TLS is used", e.toString());
            return null;
        }
    }
}
