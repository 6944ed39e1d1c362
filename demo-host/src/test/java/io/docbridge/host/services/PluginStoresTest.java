package io.docbridge.host.services;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.HostContext;
import io.docbridge.api.PluginException;
import io.docbridge.host.db.Database;
import io.docbridge.host.tasks.HostScheduler;
import io.docbridge.host.tasks.LastRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a plugin's stores promise: scoped to the plugin, and failing only with a PluginException. */
class PluginStoresTest {
    Database database;
    HostScheduler scheduler;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:stores-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        scheduler = new HostScheduler(database.pool(), Clock.systemUTC(), LastRuns.in(database.jdbi()),
                new SimpleMeterRegistry(), HostScheduler.Heartbeat.STANDARD);
    }

    @AfterEach
    void close() {
        scheduler.close();
        database.close();
    }

    private HostServices services(byte[] key) {
        return new HostServices(database.jdbi(), new SecretCipher(key), scheduler, URI.create("http://localhost/"),
                Clock.systemUTC(), new SimpleMeterRegistry(), new io.docbridge.host.web.PluginWeb(
                        new io.docbridge.host.web.Pages(java.util.Map.of()), () -> null), java.util.Map.of());
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void twoPluginsUsingTheSameKeysNeverMeet() {
        HostServices services = services(key());
        HostContext a = services.forPlugin("a");
        HostContext b = services.forPlugin("b");

        a.secrets().put("token", "a's");
        a.settings().put("site", "a's site");

        assertFalse(b.secrets().get("token").isPresent());
        assertFalse(b.settings().get("site").isPresent());
        b.secrets().deleteAll("");
        assertEquals("a's", a.secrets().get("token").orElseThrow());
    }

    @Test
    void aSecretThatNoLongerDecryptsIsAPluginExceptionNotAnIllegalState() {
        services(key()).forPlugin("a").secrets().put("token", "sealed with the first key");

        PluginException e = assertThrows(PluginException.class,
                () -> services(key()).forPlugin("a").secrets().get("token"));

        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("its administrator finds the cause in the log"), e.getMessage());
    }

    @Test
    void aDatabaseThatIsGoneIsAPluginExceptionWithoutSql() {
        HostContext plugin = services(key()).forPlugin("a");
        scheduler.close();
        database.close();

        PluginException read = assertThrows(PluginException.class, () -> plugin.settings().get("site"));
        PluginException write = assertThrows(PluginException.class, () -> plugin.secrets().put("token", "t"));

        assertEquals(ErrorKind.UNAVAILABLE, read.kind());
        assertEquals(ErrorKind.UNAVAILABLE, write.kind());
        assertFalse(read.getMessage().contains("SELECT"), read.getMessage());
    }
}
