package io.docbridge.host.storage;

import io.docbridge.api.Health;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import io.docbridge.tck.AbstractDeleteContractTest;
import io.docbridge.tck.AbstractPutContractTest;
import io.docbridge.tck.StorageContract;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The TCK bound to the local-disk provider with a defect put in on purpose must fail; the same suites pass on
 * the real provider (see the LocalDisk*ContractTest bindings).
 */
class BrokenLocalDiskFailsTheTckTest {

    /** Deletes nothing, and stores files under a name it forgets: the classic "works on my machine" provider. */
    static final class ForgetfulStorage implements StorageProvider {
        private final LocalDiskStorage disk;

        ForgetfulStorage(Path root) {
            disk = new LocalDiskStorage(root, Clock.systemUTC());
        }

        @Override
        public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
            return disk.put(path, content, size, metadata);
        }

        @Override
        public InputStream open(String key) {
            return disk.open(key);
        }

        @Override
        public java.util.Optional<String> keyAt(ObjectPath path) {
            return disk.keyAt(path);
        }

        @Override
        public void delete(String key) {
            // forgets to delete
        }

        @Override
        public Health verify() {
            return disk.verify();
        }
    }

    @Tag("fixture")
    static class ForgetfulDelete extends AbstractDeleteContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new ForgetfulStorage(scratch));
        }
    }

    @Tag("fixture")
    static class ForgetfulPut extends AbstractPutContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new ForgetfulStorage(scratch));
        }
    }

    @Test
    void aProviderThatDoesNotDeleteFailsTheDeleteSuite() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ForgetfulDelete.class))
                .execute().testEvents();

        // Exactly the three tests that depend on a delete taking effect fail; the other two rightly pass.
        assertEquals(3, events.failed().count(), () -> events.list().toString());
        assertEquals(2, events.succeeded().count());
    }

    @Test
    void theSameProviderPassesThePutSuiteWhereItIsNotBroken() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ForgetfulPut.class))
                .execute().testEvents();

        assertTrue(events.failed().count() == 0 && events.succeeded().count() > 10, () -> events.list().toString());
    }
}
