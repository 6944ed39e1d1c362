package io.docbridge.tck;

import java.nio.file.Path;

class InMemoryPutContractTest extends AbstractPutContractTest {
    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new InMemoryStorageProvider());
    }
}
