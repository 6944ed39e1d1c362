package io.docbridge.tck;

import io.docbridge.api.ExternalDrive;

import java.util.Objects;

/**
 * Describes an external drive under test: the instance, and a way to make its change-feed cursors invalid where
 * the implementation (or the stand-in server behind it) offers one.
 */
public final class DriveContract {

    private final ExternalDrive drive;
    private final Runnable expireCursors;

    private DriveContract(ExternalDrive drive, Runnable expireCursors) {
        this.drive = Objects.requireNonNull(drive, "drive");
        this.expireCursors = expireCursors;
    }

    public static DriveContract of(ExternalDrive drive) {
        return new DriveContract(drive, null);
    }

    /** Declares that cursors can be made invalid, as a server does when they grow too old. */
    public DriveContract withCursorExpiry(Runnable expireCursors) {
        return new DriveContract(drive, Objects.requireNonNull(expireCursors));
    }

    public ExternalDrive drive() {
        return drive;
    }

    public boolean canExpireCursors() {
        return expireCursors != null;
    }

    public void expireCursors() {
        expireCursors.run();
    }
}
