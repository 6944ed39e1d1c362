package io.docbridge.sharepoint;

import io.docbridge.tck.AbstractDeleteContractTest;
import io.docbridge.tck.StorageContract;

import java.nio.file.Path;

/** The storage TCK on SharePoint Online, emulated; SharePoint names are not case-sensitive. */
class SharePointDeleteContractTest extends AbstractDeleteContractTest {
    @Override
    protected StorageContract contract(Path scratch) throws Exception {
        return StorageContract.of(EmulatedSharePoint.get().storage())
                .without(StorageContract.Capability.CASE_SENSITIVE_NAMES);
    }
}
