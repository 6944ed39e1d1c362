package io.docbridge.example;

import org.pf4j.Plugin;

/** The plugin itself: nothing to start or stop; its one feature is the {@link CompressedFolderType} extension. */
public final class CompressedFolderPlugin extends Plugin {
}
