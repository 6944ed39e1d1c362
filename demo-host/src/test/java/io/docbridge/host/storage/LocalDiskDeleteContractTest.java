package io.docbridge.host.storage;

import io.docbridge.tck.AbstractDeleteContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

class LocalDiskDeleteContractTest extends AbstractDeleteContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new LocalDiskStorage(scratch, Clock.systemUTC()));
    }
}
