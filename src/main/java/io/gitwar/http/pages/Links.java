package io.gitwar.http.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The URLs of the pages, under the deployment's context path: {@code /git/} (the listing),
 * {@code /git/NAME.git} (a repository), {@code /git/NAME.git/~/tree|blob|raw/REF/PATH}. Links always
 * carry {@code .git}, so that no repository's page can be taken for one of Git's own URLs
 * ({@code /git/x/HEAD} is repository x's HEAD file; {@code /git/x/HEAD.git} the page of x/HEAD).
 * Refs and paths are percent-encoded per segment; the result still goes through {@link Html#escape}
 * in an attribute.
 */
public final class Links {

    private final String context;

    /** @param contextPath the deployment's context path ({@code /git}) */
    public Links(String contextPath) {
        this.context = contextPath;
    }

    public String listing() {
        return context + "/";
    }

    /** The listing's page of names containing {@code query}, after {@code after} (either may be null). */
    public String listing(String query, String after) {
        StringBuilder b = new StringBuilder(listing());
        char sep = '?';
        if (query != null && !query.isEmpty()) {
            b.append(sep).append("q=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
            sep = '&';
        }
        if (after != null) {
            b.append(sep).append("after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** A repository's page; names are {@code [A-Za-z0-9._-/]} only, nothing to encode. */
    public String home(String repository) {
        return context + "/" + repository + ".git";
    }

    public String tree(String repository, String ref, String path) {
        return view(repository, "tree", ref, path);
    }

    public String blob(String repository, String ref, String path) {
        return view(repository, "blob", ref, path);
    }

    public String raw(String repository, String ref, String path) {
        return view(repository, "raw", ref, path);
    }

    public String stylesheet() {
        return context + Stylesheet.PATH + "?v=" + Stylesheet.VERSION;
    }

    private String view(String repository, String view, String ref, String path) {
        return home(repository) + "/" + PagePath.MARKER + "/" + view + "/" + encodePath(ref)
                + (path.isEmpty() ? "" : "/" + encodePath(path));
    }

    /** Percent-encodes each {@code /}-separated segment's UTF-8 bytes, keeping RFC 3986's unreserved characters. */
    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
