package io.docbridge.example;

import io.docbridge.tck.AbstractOpenContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

/** The TCK's open contract, run against this plugin's provider in a fresh folder. */
class CompressedFolderOpenContractTest extends AbstractOpenContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new CompressedFolderStorage(scratch, Clock.systemUTC()));
    }
}
