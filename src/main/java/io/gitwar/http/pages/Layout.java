package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.config.Version;
import io.gitwar.http.pages.Html.Safe;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The frame of every page (head, header, footer), the response headers every page carries, and
 * the small formats pages share. Times are absolute (UTC), never "3 hours ago", so that a page's
 * bytes change only when the repository does and its ETag stays valid.
 */
public final class Layout {

    /**
     * No script at all, styles and images from gitwar only, forms only to gitwar, no framing: whatever
     * a repository holds, a page can neither run code nor fetch from elsewhere.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** Downloads: not even styles, and a sandbox should a browser render one anyway. */
    public static final String RAW_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";
    /** Links to other sites do not tell them which repository a reader came from. */
    public static final String REFERRER_POLICY = "same-origin";
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Layout() {
    }

    /** A whole page: {@code title} in the tab, {@code crumbs} in the header bar, {@code body} below. */
    static String page(Links links, String title, Safe crumbs, Safe body) {
        return html("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="referrer" content="same-origin">
                <title>%s</title>
                <link rel="stylesheet" href="%s">
                </head>
                <body>
                <header class="bar"><a class="brand" href="%s">gitwar</a>%s</header>
                <main>
                %s
                </main>
                <footer>gitwar %s</footer>
                </body>
                </html>
                """, title, links.stylesheet(), links.listing(), crumbs, body, Version.VALUE).html();
    }

    /** The header bar's path to a repository: {@code / team / app}, each linked. */
    static Safe crumbs(Links links, String repository) {
        return html("<span class=\"sep\">/</span><a href=\"%s\">%s</a>", links.home(repository), repository);
    }

    static String time(Instant t) {
        return t == null ? "never" : TIME.format(t);
    }

    /** A size as people read it: bytes, KiB, MiB, GiB (binary units, as git's count-objects -H). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    static String shortId(String id) {
        return id.substring(0, Math.min(7, id.length()));
    }
}
