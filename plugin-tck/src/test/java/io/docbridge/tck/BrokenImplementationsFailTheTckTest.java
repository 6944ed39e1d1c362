package io.docbridge.tck;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.StoredObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A TCK that passes everything proves nothing: each broken implementation here must fail the test that targets
 * its defect. The bindings are tagged {@code fixture}, which the build excludes, and run only from here.
 */
class BrokenImplementationsFailTheTckTest {

    /** Silently replaces a file that is already stored. */
    static final class OverwritingProvider extends InMemoryStorageProvider {
        private final InMemoryStorageProvider delegate = new InMemoryStorageProvider();

        @Override
        public StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata) {
            delegate.delete(path.toString());
            return delegate.put(path, content, size, metadata);
        }

        @Override
        public InputStream open(String key) {
            return delegate.open(key);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }
    }

    /** Drops the last byte of every file it stores. */
    static final class TruncatingProvider extends InMemoryStorageProvider {
        @Override
        protected byte[] readExactly(InputStream content, long size) {
            byte[] bytes = super.readExactly(content, size);
            return bytes.length == 0 ? bytes : Arrays.copyOf(bytes, bytes.length - 1);
        }
    }

    /** Trusts the declared size and stores whatever arrived. */
    static final class CredulousProvider extends InMemoryStorageProvider {
        @Override
        protected byte[] readExactly(InputStream content, long size) {
            try {
                return content.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Declares it finds stored files by path (for crash recovery) but never does. */
    static final class BlindProvider extends InMemoryStorageProvider {
        @Override
        public java.util.Optional<String> keyAt(io.docbridge.api.ObjectPath path) {
            return java.util.Optional.empty();
        }
    }

    @Tag("fixture")
    static class BlindPut extends AbstractPutContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new BlindProvider());
        }
    }

    /** Forgets to report deletions in its change feed. */
    static final class ForgetfulDrive extends InMemoryExternalDrive {
        @Override
        public synchronized ChangePage changes(String cursor) {
            ChangePage page = super.changes(cursor);
            return new ChangePage(page.changes().stream().filter(c -> !c.isDeleted()).toList(), page.cursor(),
                    page.hasMore());
        }
    }

    @Tag("fixture")
    static class OverwritingPut extends AbstractPutContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new OverwritingProvider());
        }
    }

    @Tag("fixture")
    static class TruncatingPut extends AbstractPutContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new TruncatingProvider());
        }
    }

    @Tag("fixture")
    static class CredulousPut extends AbstractPutContractTest {
        @Override
        protected StorageContract contract(Path scratch) {
            return StorageContract.of(new CredulousProvider());
        }
    }

    @Tag("fixture")
    static class ForgetfulFeed extends AbstractChangeFeedContractTest {
        @Override
        protected DriveContract contract(Path scratch) {
            return DriveContract.of(new ForgetfulDrive());
        }
    }

    private static Events run(Class<?> binding, String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(binding, method))
                .execute()
                .testEvents();
    }

    private static void assertFails(Class<?> binding, String method) {
        Events events = run(binding, method);
        assertTrue(events.failed().count() == 1 && events.succeeded().count() == 0,
                () -> binding.getSimpleName() + "." + method + " should fail but: " + events.list());
    }

    @Test
    void aProviderThatOverwritesFailsTheConflictTest() {
        assertFails(OverwritingPut.class, "putAtAnOccupiedPathThrowsConflictAndKeepsTheFirstFile");
    }

    @Test
    void aProviderThatLosesBytesFailsTheRoundTripTests() {
        for (String test : List.of("putThenOpenReturnsTheSameBytes", "putOfAMultiMegabyteStreamStoresEveryByte")) {
            assertFails(TruncatingPut.class, test);
        }
    }

    @Test
    void aProviderThatIgnoresTheDeclaredSizeFailsTheSizeTests() {
        assertFails(CredulousPut.class, "putOfContentShorterThanDeclaredThrowsInvalidInputAndStoresNothing");
        assertFails(CredulousPut.class, "putOfContentLongerThanDeclaredThrowsInvalidInputAndStoresNothing");
    }

    @Test
    void aProviderThatCannotFindWhatItStoredFailsTheKeyAtTest() {
        assertFails(BlindPut.class, "keyAtFindsTheKeyPutReturnedAndNothingWhereNothingIsStored");
    }

    @Test
    void aDriveThatDropsDeletionsFailsTheFeedTest() {
        assertFails(ForgetfulFeed.class, "aDeleteIsListedAsDeleted");
    }

    @Test
    void theSameTestsPassOnTheCorrectImplementation() {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(InMemoryPutContractTest.class,
                        "putAtAnOccupiedPathThrowsConflictAndKeepsTheFirstFile"))
                .execute().testEvents();
        assertTrue(events.succeeded().count() == 1, () -> events.list().toString());
    }
}
