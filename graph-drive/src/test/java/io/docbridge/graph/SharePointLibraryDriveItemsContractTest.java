package io.docbridge.graph;

import io.docbridge.tck.AbstractDriveItemsContractTest;
import io.docbridge.tck.DriveContract;

import java.nio.file.Path;

/** The drive TCK on a SharePointLibrary (emulated), through Microsoft Graph. */
class SharePointLibraryDriveItemsContractTest extends AbstractDriveItemsContractTest {
    @Override
    protected DriveContract contract(Path scratch) throws Exception {
        EmulatedDrives shared = EmulatedDrives.get();
        return shared.contract(shared.tenant.documents.id());
    }
}
