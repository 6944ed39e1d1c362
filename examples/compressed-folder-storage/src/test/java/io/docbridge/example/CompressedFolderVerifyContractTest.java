package io.docbridge.example;

import io.docbridge.tck.AbstractVerifyContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;
import java.time.Clock;

/** The TCK's verify contract, run against this plugin's provider in a fresh folder. */
class CompressedFolderVerifyContractTest extends AbstractVerifyContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new CompressedFolderStorage(scratch, Clock.systemUTC()));
    }
}
