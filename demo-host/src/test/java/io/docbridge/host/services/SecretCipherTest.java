package io.docbridge.host.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretCipherTest {
    @TempDir
    Path dir;

    @Test
    void aSecretRoundTripsAndIsNotReadableInItsStoredForm() throws Exception {
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("secret.key"));

        String sealed = cipher.encrypt("plugin\nkey", "refresh-token-value");

        assertFalse(sealed.contains("refresh-token-value"));
        assertEquals("refresh-token-value", cipher.decrypt("plugin\nkey", sealed));
    }

    @Test
    void theSameSecretEncryptsDifferentlyEachTime() throws Exception {
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("secret.key"));

        assertNotEquals(cipher.encrypt("slot", "same"), cipher.encrypt("slot", "same"));
    }

    @Test
    void aValueMovedToAnotherSlotDoesNotDecrypt() throws Exception {
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("secret.key"));
        String sealed = cipher.encrypt("pluginA\ntoken", "secret");

        assertThrows(IllegalStateException.class, () -> cipher.decrypt("pluginB\ntoken", sealed));
    }

    @Test
    void theKeyFileIsOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path keyFile = dir.resolve("secret.key");
        String sealed = SecretCipher.fromKeyFile(keyFile).encrypt("s", "value");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("value", SecretCipher.fromKeyFile(keyFile).decrypt("s", sealed));
    }

    @Test
    void anotherKeyCannotDecrypt() throws Exception {
        String sealed = SecretCipher.fromKeyFile(dir.resolve("a.key")).encrypt("s", "value");

        assertThrows(IllegalStateException.class, () -> SecretCipher.fromKeyFile(dir.resolve("b.key")).decrypt("s", sealed));
    }
}
