package io.docbridge.emulator;

import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.emulator.identity.RefreshTokens;
import io.docbridge.emulator.identity.TokenIssuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's state in its data folder: {@code state.json}, written whole to a temporary name and renamed over
 * the old one, so a crash leaves the previous state, never half of one. File content lives beside it in
 * {@code content/} and is not part of the file.
 */
final class StateFile {

    /** @param clockOffset how far tests moved the clock forward (null in files written before it was kept) */
    record State(int version, Directory.Snapshot directory, DriveStore.Snapshot drives,
                 Map<String, RefreshTokens.Grant> refreshTokens, TokenIssuer.SigningKey signingKey,
                 java.time.Duration clockOffset) {
    }

    private final Path file;

    StateFile(Path dataDir) {
        this.file = dataDir.resolve("state.json");
    }

    Optional<State> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            throw new IllegalStateException("The emulator state in " + file + " cannot be read (" + e.getMessage()
                    + "). Move it away to start empty.", e);
        }
    }

    void save(State state) {
        Path temp = file.resolveSibling("state.json.tmp");
        try {
            try (var out = PrivateFiles.newFile(temp)) {
                Json.MAPPER.writeValue(out, state);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
