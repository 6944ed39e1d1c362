package io.docbridge.host.storage;

import io.docbridge.tck.AbstractVerifyContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

class LocalDiskVerifyContractTest extends AbstractVerifyContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new LocalDiskStorage(scratch, Clock.systemUTC()));
    }
}
