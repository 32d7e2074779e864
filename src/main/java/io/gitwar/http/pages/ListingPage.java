package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.http.pages.Html.Safe;
import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.admin.RepositoryPage;

/** The listing of repositories: a search box, a page of repositories with their facts, the next page's link. */
public final class ListingPage {

    private ListingPage() {
    }

    /**
     * @param query the search as given (null or empty: all)
     * @param after the cursor this page starts after (null: the first page)
     */
    public static String render(Links links, String query, String after, RepositoryPage page) {
        String q = query == null ? "" : query;
        Safe rows = Html.join(page.repositories().stream().map(r -> row(links, r)));
        Safe table = page.repositories().isEmpty()
                ? html("<p class=\"notice\">%s</p>\n", q.isEmpty() && after == null ? "No repositories yet."
                        : "No repositories " + (q.isEmpty() ? "" : "matching \u201c" + q + "\u201d ") + "on this page.")
                : html("""
                        <table class="repos"><thead><tr><th>Name</th><th>Default branch</th><th class="num">Size</th>\
                        <th>Last push</th></tr></thead><tbody>
                        %s</tbody></table>
                        """, rows);
        Safe pager = html("<nav class=\"pager\">%s%s</nav>\n",
                after == null ? Safe.EMPTY : html("<a href=\"%s\">First page</a>", links.listing(q, null)),
                page.nextCursor() == null ? Safe.EMPTY : html("<a href=\"%s\">Next page</a>", links.listing(q, page.nextCursor())));
        Safe body = html("""
                <section class="title"><h1>Repositories</h1>
                <form class="search" method="get" action="%s">\
                <input type="search" name="q" value="%s" placeholder="Search names" aria-label="Search names" maxlength="200">\
                <button type="submit">Search</button></form></section>
                <section>
                %s%s</section>
                """, links.listing(), q, table, pager);
        return Layout.page(links, q.isEmpty() ? "Repositories" : "Repositories matching " + q, Safe.EMPTY, body);
    }

    private static Safe row(Links links, RepositoryFacts r) {
        if (r.damaged()) {
            return html("<tr><td class=\"name\">%s</td><td colspan=\"3\" class=\"meta\">damaged: see the server's log</td></tr>\n", r.name());
        }
        return html("<tr><td class=\"name\"><a href=\"%s\">%s</a></td><td>%s</td><td class=\"num\">%s</td><td class=\"meta\">%s</td></tr>\n",
                links.home(r.name()), r.name(), r.defaultBranch() == null ? "" : r.defaultBranch(),
                Layout.size(r.sizeBytes()), Layout.time(r.lastPushAt()));
    }
}
