package io.docbridge.example;

import io.docbridge.tck.AbstractDeleteContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

/** The TCK's delete contract, run against this plugin's provider in a fresh folder. */
class CompressedFolderDeleteContractTest extends AbstractDeleteContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new CompressedFolderStorage(scratch, Clock.systemUTC()));
    }
}
