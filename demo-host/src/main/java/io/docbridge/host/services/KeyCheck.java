package io.docbridge.host.services;

import io.docbridge.host.HostStartupException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.Optional;

/**
 * Proves at start that this instance's secret key is the one the stored secrets were sealed with: the first
 * instance seals a known value into {@code key_check}; every later start (of any instance on the database) opens it.
 */
public final class KeyCheck {
    private static final String SLOT = "host/key-check";
    private static final String VALUE = "Docbridge secret key check";

    private KeyCheck() {
    }

    /** @throws HostStartupException when the key cannot open the value another instance (or an earlier key) sealed */
    public static void verify(Jdbi db, SecretCipher cipher) {
        Optional<String> sealed = read(db);
        if (sealed.isEmpty()) {
            try {
                db.useHandle(h -> h.createUpdate("INSERT INTO key_check (id, sealed) VALUES (1, :s)")
                        .bind("s", cipher.encrypt(SLOT, VALUE)).execute());
            } catch (UnableToExecuteStatementException raced) {
                // another instance starting at the same moment wrote it first: check against theirs
            }
            sealed = read(db);
        }
        IllegalStateException failure = null;
        try {
            if (VALUE.equals(cipher.decrypt(SLOT, sealed.orElseThrow()))) {
                return;
            }
        } catch (IllegalStateException differentKey) {
            failure = differentKey;
        }
        throw new HostStartupException("This instance's secret key is not the one the database's secrets were "
                + "encrypted with, so it could not read any stored token or client secret. Give every instance the "
                + "same key: set DOCBRIDGE_SECRET_KEY to the base64 key the other instances use (or copy their "
                + "data folder's secret.key), then start again.", failure);
    }

    private static Optional<String> read(Jdbi db) {
        return db.withHandle(h -> h.createQuery("SELECT sealed FROM key_check WHERE id = 1").mapTo(String.class)
                .findOne());
    }
}
