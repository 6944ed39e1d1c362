/**
 * A local, stateful stand-in for the Microsoft identity platform and Microsoft Graph drives and sites, speaking
 * their wire protocol over HTTPS so that msal4j and the Graph SDK talk to it unchanged. (Issue 3 fills it.)
 */
package io.docbridge.emulator;
