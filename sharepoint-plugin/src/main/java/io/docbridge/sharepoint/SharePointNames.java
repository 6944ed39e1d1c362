package io.docbridge.sharepoint;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.graph.DriveNames;

import java.util.List;

/**
 * Makes names legal for SharePoint Online, in a stated and reversible-enough way: each character SharePoint refuses
 * ({@code " * : < > ? / \ |}) becomes its full-width form ({@code ＂ ＊ ： ＜ ＞ ？ ／ ＼ ｜}), as OneDrive's own sync
 * client does, so the name still reads the same; a trailing dot or space becomes its full-width form too; a leading
 * {@code ~} (which SharePoint refuses at the start, and {@code ~$} marks Office lock files) becomes {@code ～}; a
 * reserved device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9) and {@code .lock}, {@code desktop.ini} get a trailing
 * {@code _}; {@code _vti_} becomes {@code _vti－}. A whole path must stay under 400 characters.
 */
final class SharePointNames {
    static final int MAX_PATH = 400;
    /** Full-width forms of {@link DriveNames#INVALID}, in the same order. */
    private static final String FULL_WIDTH = "＂＊：＜＞？／＼｜";

    private SharePointNames() {
    }

    static String legal(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            int i = DriveNames.INVALID.indexOf(c);
            out.append(i >= 0 ? FULL_WIDTH.charAt(i) : c < 32 ? '_' : c);
        }
        String result = out.toString();
        if (result.startsWith(" ")) {
            result = "\u3000" + result.substring(1); // a leading space would be trimmed away
        }
        if (result.endsWith(".") || result.endsWith(" ")) {
            char last = result.charAt(result.length() - 1);
            result = result.substring(0, result.length() - 1) + (last == '.' ? '．' : '\u3000');
        }
        if (result.startsWith("~")) {
            result = "～" + result.substring(1);
        }
        result = result.replace("_vti_", "_vti－");
        if (DriveNames.reserved(result)) {
            int dot = result.indexOf('.');
            result = dot > 0 ? result.substring(0, dot) + "_" + result.substring(dot) : result + "_";
        }
        return result;
    }

    /**
     * Refuses, before anything is written, a path SharePoint would refuse for its length.
     *
     * @param segments the library-relative folders and file name, already legal
     */
    static void checkLength(List<String> segments) {
        int length = String.join("/", segments).length();
        if (length >= MAX_PATH) {
            throw new PluginException(ErrorKind.NAME_NOT_ALLOWED, "The file's path in SharePoint would be " + length
                    + " characters long; SharePoint allows fewer than " + MAX_PATH + ". Use a shorter project code, "
                    + "document number or file name, or a shorter root folder.");
        }
    }
}
