package io.docbridge.tck;

import java.nio.file.Path;
import java.time.Clock;

/** With a page size of 2, so that every feed read pages. */
class InMemoryChangeFeedContractTest extends AbstractChangeFeedContractTest {
    @Override
    protected DriveContract contract(Path scratch) {
        InMemoryExternalDrive drive = new InMemoryExternalDrive(Clock.systemUTC(), 2);
        return DriveContract.of(drive).withCursorExpiry(drive::expireCursors);
    }
}
