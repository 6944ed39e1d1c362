package io.docbridge.graph;

import io.docbridge.tck.DriveContract;
import io.docbridge.tck.InMemorySecretStore;

/** One emulated tenant, signed in once, for the drive contract tests (each test works in a folder of its own). */
final class EmulatedDrives {
    private static EmulatedDrives shared;

    final Tenant tenant;
    final DriveClient drives;

    private EmulatedDrives() throws Exception {
        tenant = new Tenant();
        MicrosoftSignIn signIn = tenant.signIn(new InMemorySecretStore());
        drives = DriveClient.connect(tenant.connection, signIn.tokens(MicrosoftSignIn.filesAndSites(tenant.connection.cloud())));
    }

    static synchronized EmulatedDrives get() throws Exception {
        if (shared == null) {
            shared = new EmulatedDrives();
        }
        return shared;
    }

    /** A drive with a small page size, so that feed reads page; its delta tokens can be made to expire. */
    DriveContract contract(String driveId) {
        return DriveContract.of(new GraphExternalDrive(drives, driveId, 3))
                .withCursorExpiry(() -> tenant.emulator.drives().invalidateDeltaTokens(driveId));
    }
}
