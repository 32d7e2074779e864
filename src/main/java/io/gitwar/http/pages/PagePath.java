package io.gitwar.http.pages;

import io.gitwar.failure.BadRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Which page a path (under the context path, undecoded) names, if a browser asks for one:
 * {@code /}, {@code /-} or {@code /-/}: the listing; {@code /NAME[.git][/]}: a repository; {@code
 * /NAME[.git]/~/tree|blob|raw/REF[/PATH]}: a view of it; nothing else under {@code /-/}. The segment {@value #MARKER} can never be
 * part of a repository name (segments are {@code [A-Za-z0-9._-]}), so these paths never collide
 * with a name or with Git's own URLs, which all sit right under a name. ({@code -} is reserved only
 * as a name's first segment: {@code team/-/app} is a valid name.)
 */
public sealed interface PagePath {

    /** The segment that ends the repository's name in a view's path. */
    String MARKER = "~";

    /** The listing. */
    record Listing() implements PagePath {
    }

    /** A repository's page; {@code repository} as in the URL (with or without {@code .git}). */
    record Home(String repository) implements PagePath {
    }

    /** A view of a repository: {@code encoded} is the revision and path as in the URL, percent-encoded. */
    record View(String repository, Kind kind, String encoded) implements PagePath {

        /**
         * The revision and path, decoded, to be split by the browse service.
         *
         * @throws BadRequest if the URL has a malformed percent-escape
         */
        public String refAndPath() {
            try {
                // a path's '+' is itself, unlike in a form's query
                return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed percent-escape in " + encoded);
            }
        }
    }

    /** A path under {@value #MARKER} that names no view. */
    record Unknown() implements PagePath {
    }

    /** The views of a repository's files. */
    enum Kind {
        TREE, BLOB, RAW
    }

    /**
     * The page {@code path} names (nothing is decoded yet), or null for gitwar's own URLs under
     * {@code /-/} (API, health, metrics, the stylesheet), which stay theirs for browsers too.
     */
    static PagePath parse(String path) {
        if (path.isEmpty() || path.equals("/") || path.equals("/-") || path.equals("/-/")) {
            return new Listing();
        }
        if (path.startsWith("/-/")) {
            return null;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        int marker = p.indexOf("/" + MARKER + "/");
        if (marker < 0) {
            return new Home(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
        }
        String repository = p.substring(0, marker);
        String rest = p.substring(marker + MARKER.length() + 2);
        int slash = rest.indexOf('/');
        String view = slash < 0 ? rest : rest.substring(0, slash);
        String refAndPath = slash < 0 ? "" : rest.substring(slash + 1);
        Kind kind = switch (view) {
            case "tree" -> Kind.TREE;
            case "blob" -> Kind.BLOB;
            case "raw" -> Kind.RAW;
            default -> null;
        };
        if (kind == null) {
            return new Unknown();
        }
        if (refAndPath.isEmpty()) {
            return kind == Kind.TREE ? new Home(repository) : new Unknown();
        }
        return new View(repository, kind, refAndPath);
    }
}
