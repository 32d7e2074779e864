package io.gitwar.http.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP entity tag (RFC 9110 §8.8.3): an opaque quoted string, weak when prefixed by {@code W/}.
 *
 * @param opaque the tag without quotes
 * @param weak whether the tag only promises semantic equivalence, not identical bytes
 */
public record EntityTag(String opaque, boolean weak) {

    /** The wildcard of {@code If-None-Match: *} / {@code If-Match: *}: matches any current representation. */
    public static final EntityTag ANY = new EntityTag("*", false);

    public static EntityTag strong(String opaque) {
        return new EntityTag(opaque, false);
    }

    /** The header form: {@code "opaque"} or {@code W/"opaque"}. */
    public String header() {
        return (weak ? "W/\"" : "\"") + opaque + "\"";
    }

    /** Strong comparison: both strong and the same opaque string (used by If-Match and If-Range). */
    public boolean strongMatch(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /** Weak comparison: the same opaque string, weakness ignored (used by If-None-Match). */
    public boolean weakMatch(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /**
     * Parses the value of If-Match / If-None-Match: {@code *} or a comma-separated list of entity tags.
     * Returns null for a malformed header, which callers treat as absent (a cache that sends garbage
     * gets the full response rather than a wrong 304).
     */
    public static List<EntityTag> parseList(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.equals("*")) {
            return List.of(ANY);
        }
        List<EntityTag> tags = new ArrayList<>();
        int i = 0;
        int n = h.length();
        while (i < n) {
            char c = h.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = false;
            if (c == 'W' && h.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i >= n || h.charAt(i) != '"') {
                return null;
            }
            int close = h.indexOf('"', i + 1);
            if (close < 0) {
                return null;
            }
            tags.add(new EntityTag(h.substring(i + 1, close), weak));
            i = close + 1;
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && h.charAt(i) != ',') {
                return null;
            }
        }
        return tags.isEmpty() ? null : List.copyOf(tags);
    }

    /** Parses a single entity tag (the If-Range form); null if {@code value} is not one. */
    public static EntityTag parse(String value) {
        List<EntityTag> one = parseList(value);
        return one != null && one.size() == 1 && one.get(0) != ANY ? one.get(0) : null;
    }
}
