package io.docbridge.api;

/** What to do when a name is already taken in the target folder (Graph's {@code @microsoft.graph.conflictBehavior}). */
public enum ConflictBehavior {
    /** Refuse with {@link ErrorKind#CONFLICT}. */
    FAIL,
    /** Replace the existing item. */
    REPLACE,
    /** Keep both: the new item gets a free name, such as "report 1.pdf". */
    RENAME
}
