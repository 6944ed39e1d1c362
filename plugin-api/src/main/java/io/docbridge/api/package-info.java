/**
 * The Docbridge plugin API: what a document-management host offers to storage and drive plugins.
 *
 * <p>A plugin contributes stateless <em>types</em> as PF4J extensions ({@link StorageProviderType},
 * {@link ExternalDriveType}, {@link PluginServlets}); the host creates configured <em>instances</em> from them
 * ({@link StorageProvider}, {@link ExternalDrive}) with the settings an administrator or user saved, and hands
 * every plugin its services through one {@link HostContext}. Failures cross this boundary only as
 * {@link PluginException}, whose {@link ErrorKind} the host turns into a message a person understands.
 *
 * <p>Nothing here depends on Microsoft, Jetty or a database: a Dropbox plugin is written against the same types.
 */
package io.docbridge.api;
