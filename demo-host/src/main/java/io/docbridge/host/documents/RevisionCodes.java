package io.docbridge.host.documents;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revision codes as document controllers write them: letters (A, B … Z, then AA), numbers (1, 2), or a prefix and a
 * zero-padded number (P01, C09). The next code keeps the prefix and the width: P01 → P02, C09 → C10, P99 → P100.
 */
final class RevisionCodes {
    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

    private RevisionCodes() {
    }

    static String next(String code) {
        String last = code.toUpperCase(Locale.ROOT);
        Matcher numbered = NUMBERED.matcher(last);
        if (numbered.matches()) {
            String digits = numbered.group(2);
            String next = new java.math.BigInteger(digits).add(java.math.BigInteger.ONE).toString();
            String padded = "0".repeat(Math.max(0, digits.length() - next.length())) + next;
            return numbered.group(1) + padded;
        }
        if (last.matches("[A-Z]+")) {
            return nextLetters(last);
        }
        return last + "1";
    }

    /** A, B … Z, AA, AB … AZ, BA …: like spreadsheet columns. */
    private static String nextLetters(String letters) {
        char[] chars = letters.toCharArray();
        for (int i = chars.length - 1; i >= 0; i--) {
            if (chars[i] != 'Z') {
                chars[i]++;
                return new String(chars);
            }
            chars[i] = 'A';
        }
        return "A" + new String(chars);
    }
}
