package io.gitwar.http.rules;

/**
 * The {@code Range} header of a request for a file of known length (RFC 9110 §14.1.2), reduced to
 * what gitwar answers: one satisfiable range (206), an unsatisfiable one (416), or the whole file.
 */
public sealed interface ByteRange {

    /** Serve the whole file (200): no Range, a unit other than bytes, a malformed or a multi-range header. */
    record Whole() implements ByteRange {
    }

    /** Serve bytes {@code first..last} inclusive (206). */
    record Part(long first, long last) implements ByteRange {
        public long length() {
            return last - first + 1;
        }

        /** The Content-Range value: {@code bytes first-last/complete}. */
        public String contentRange(long complete) {
            return "bytes " + first + "-" + last + "/" + complete;
        }
    }

    /** No byte of the range exists (416 with {@code Content-Range: bytes }{@code *}{@code /length}). */
    record Unsatisfiable() implements ByteRange {
        public static String contentRange(long complete) {
            return "bytes */" + complete;
        }
    }

    ByteRange WHOLE = new Whole();
    ByteRange UNSATISFIABLE = new Unsatisfiable();

    /**
     * Parses {@code header} against a file of {@code length} bytes: {@code bytes=a-b}, {@code bytes=a-},
     * {@code bytes=-n}. A last position past the end is clipped; a suffix longer than the file means
     * all of it. Several ranges are answered with the whole file, which RFC 9110 allows and which
     * spares a multipart body nobody in Git's world asks for.
     */
    public static ByteRange parse(String header, long length) {
        if (header == null) {
            return WHOLE;
        }
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return WHOLE; // unknown unit: ignore the header
        }
        String spec = h.substring(eq + 1).trim();
        if (spec.indexOf(',') >= 0) {
            return WHOLE;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix: the last n bytes
                long n = digits(b);
                if (n == 0 || length == 0) {
                    return UNSATISFIABLE;
                }
                return new Part(Math.max(0, length - n), length - 1);
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (last < first) {
                return WHOLE; // invalid: ignored as a whole, as RFC 9110 says
            }
            if (first >= length) {
                return UNSATISFIABLE;
            }
            return new Part(first, Math.min(last, length - 1));
        } catch (NumberFormatException e) {
            return WHOLE;
        }
    }

    /** A non-negative decimal without sign (Long.parseLong alone would take "+5"). */
    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
