package io.docbridge.tck;

import java.nio.file.Path;

class InMemoryVerifyContractTest extends AbstractVerifyContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new InMemoryStorageProvider());
    }
}
