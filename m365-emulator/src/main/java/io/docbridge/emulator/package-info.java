/**
 * A local, stateful stand-in for the Microsoft identity platform (login.microsoftonline.com) and Microsoft Graph,
 * speaking their wire protocol over HTTPS so that msal4j and the Graph SDK talk to it unchanged. Start one with
 * {@link io.docbridge.emulator.M365Emulator#builder()}; seed it through {@link io.docbridge.emulator.M365Emulator#directory()}.
 */
package io.docbridge.emulator;
