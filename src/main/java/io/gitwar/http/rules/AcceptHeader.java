package io.gitwar.http.rules;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a request's {@code Accept} header (RFC 9110 §12.5.1) asks for HTML: it names
 * {@code text/html} with a weight above zero. Wildcards do not count: git, JGit and isomorphic-git
 * send {@code *}{@code /*} or nothing, and must keep getting Git's answers; browsers name
 * {@code text/html} when they navigate. A range whose weight is malformed does not count either, so
 * a doubtful header keeps today's answer.
 */
public final class AcceptHeader {

    /** RFC 9110 §12.4.2: {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}. */
    private static final Pattern QVALUE = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");
    private static final Pattern ZERO = Pattern.compile("0(\\.0{0,3})?");

    private AcceptHeader() {
    }

    /** True if {@code accept} (null when absent) names {@code text/html} acceptably. */
    public static boolean wantsHtml(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",", -1)) {
            String[] parts = range.split(";", -1);
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("text/html")) {
                continue;
            }
            if (acceptable(parts)) {
                return true;
            }
        }
        return false;
    }

    /** The range's weight is above zero (1 when it has none). */
    private static boolean acceptable(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("q")) {
                String q = p.substring(eq + 1).trim();
                return QVALUE.matcher(q).matches() && !ZERO.matcher(q).matches();
            }
        }
        return true;
    }
}
