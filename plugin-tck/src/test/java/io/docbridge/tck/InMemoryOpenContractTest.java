package io.docbridge.tck;

import java.nio.file.Path;

class InMemoryOpenContractTest extends AbstractOpenContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new InMemoryStorageProvider());
    }
}
