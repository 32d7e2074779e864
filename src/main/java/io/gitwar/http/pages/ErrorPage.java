package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.http.pages.Html.Safe;

/** What a browser sees of a failure: the status and the same one-line reason Git clients get. */
public final class ErrorPage {

    private ErrorPage() {
    }

    public static String render(Links links, int status, String message) {
        Safe body = html("""
                <section class="title"><h1>%s</h1>
                <p>%s</p>
                <p><a href="%s">All repositories</a></p></section>
                """, status == 404 ? "Not found" : "Error " + status, message, links.listing());
        return Layout.page(links, (status == 404 ? "Not found" : "Error " + status) + " \u00b7 gitwar", Safe.EMPTY, body);
    }
}
