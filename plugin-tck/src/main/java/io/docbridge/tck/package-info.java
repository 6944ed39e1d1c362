/**
 * Contract tests that any {@link io.docbridge.api.StorageProvider} or {@link io.docbridge.api.ExternalDrive} runs
 * against itself, in the manner of Hadoop's filesystem contract tests.
 *
 * <p>A binding is a few lines: extend one abstract suite per operation and return a contract object that
 * creates the implementation and declares what it can do.
 * <pre>{@code
 * class LocalDiskPutTest extends AbstractPutContractTest {
 *     protected StorageContract contract(Path scratch) {
 *         return StorageContract.of(new LocalDiskStorage(scratch));
 *     }
 * }
 * }</pre>
 * A capability declared absent skips the tests that need it, and runs the tests of its absence instead.
 * {@link io.docbridge.tck.InMemoryStorageProvider} and {@link io.docbridge.tck.InMemoryExternalDrive} are the
 * simplest implementations that pass, for host tests that need one.
 */
package io.docbridge.tck;
