package io.docbridge.host.storage;

import io.docbridge.tck.AbstractPutContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

class LocalDiskPutContractTest extends AbstractPutContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new LocalDiskStorage(scratch, Clock.systemUTC()));
    }
}
