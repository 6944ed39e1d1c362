package io.docbridge.example;

import io.docbridge.tck.AbstractPutContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

/** The TCK's put contract, run against this plugin's provider in a fresh folder. */
class CompressedFolderPutContractTest extends AbstractPutContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new CompressedFolderStorage(scratch, Clock.systemUTC()));
    }
}
