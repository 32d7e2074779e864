package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.http.pages.Html.Safe;
import io.gitwar.service.browse.CommitSummary;
import io.gitwar.service.browse.Directory;
import io.gitwar.service.browse.RefList;
import io.gitwar.service.browse.RefSummary;
import io.gitwar.service.browse.TreeEntry;
import java.util.List;

/** The lists several pages share: a directory's entries, a commit list, a table of branches or tags. */
final class Tables {

    private Tables() {
    }

    static Safe entries(Links links, String repository, Directory dir) {
        String ref = dir.at().ref();
        Safe rows = Html.join(dir.entries().stream().map(e -> html(
                "<tr><td class=\"kind %s\"></td><td class=\"name\"><a href=\"%s\">%s</a>%s</td><td class=\"num\">%s</td></tr>\n",
                e.kind().name().toLowerCase(java.util.Locale.ROOT),
                e.kind() == TreeEntry.Kind.DIRECTORY ? links.tree(repository, ref, e.path()) : links.blob(repository, ref, e.path()),
                e.name() + (e.kind() == TreeEntry.Kind.DIRECTORY ? "/" : ""),
                e.kind() == TreeEntry.Kind.SUBMODULE ? html(" <span class=\"tag\">submodule</span>") : Safe.EMPTY,
                e.size() < 0 ? "" : Layout.size(e.size()))));
        if (dir.entries().isEmpty()) {
            return html("<p class=\"notice\">This directory is empty.</p>\n");
        }
        return html("<table class=\"files\"><tbody>\n%s</tbody></table>\n%s", rows, more(dir.total() - dir.entries().size(), "entries"));
    }

    static Safe commits(Links links, String repository, List<CommitSummary> commits) {
        return html("<ol class=\"commits\">\n%s</ol>\n", Html.join(commits.stream().map(c -> html(
                "<li><a class=\"id\" href=\"%s\" title=\"%s\">%s</a> <span class=\"subject\">%s</span>"
                        + " <span class=\"meta\">%s, %s</span></li>\n",
                links.tree(repository, c.id(), ""), c.id(), Layout.shortId(c.id()), c.subject(), c.author(),
                Layout.time(c.time())))));
    }

    static Safe refs(Links links, String repository, RefList refs, String defaultBranch, String what) {
        if (refs.total() == 0) {
            return html("<p class=\"notice\">No %s.</p>\n", what);
        }
        Safe rows = Html.join(refs.shown().stream().map(r -> html(
                "<tr><td class=\"name\">%s%s</td>%s</tr>\n", refName(links, repository, r),
                r.name().equals(defaultBranch) && what.equals("branches") ? html(" <span class=\"tag\">default</span>") : Safe.EMPTY,
                commitCells(links, repository, r.commit()))));
        return html("<table class=\"refs\"><tbody>\n%s</tbody></table>\n%s", rows, more(refs.total() - refs.shown().size(), what));
    }

    private static Safe refName(Links links, String repository, RefSummary r) {
        return r.commit() == null ? html("%s", r.name()) : html("<a href=\"%s\">%s</a>", links.tree(repository, r.name(), ""), r.name());
    }

    private static Safe commitCells(Links links, String repository, CommitSummary c) {
        if (c == null) {
            return html("<td class=\"meta\" colspan=\"3\">not a commit</td>");
        }
        return html("<td><a class=\"id\" href=\"%s\">%s</a></td><td class=\"subject\">%s</td><td class=\"meta\">%s</td>",
                links.tree(repository, c.id(), ""), Layout.shortId(c.id()), c.subject(), Layout.time(c.time()));
    }

    static Safe more(int more, String what) {
        return more <= 0 ? Safe.EMPTY : html("<p class=\"more\">and %s more %s</p>\n", more, what);
    }
}
