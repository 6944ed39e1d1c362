package io.docbridge.tck;

import java.nio.file.Path;

class InMemoryDeleteContractTest extends AbstractDeleteContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new InMemoryStorageProvider());
    }
}
