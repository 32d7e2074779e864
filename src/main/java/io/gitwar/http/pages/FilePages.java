package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.http.pages.Html.Safe;
import io.gitwar.service.browse.Directory;
import io.gitwar.service.browse.FileContent;
import io.gitwar.service.browse.Location;
import java.util.ArrayList;
import java.util.List;

/** A directory's page and a file's page at a revision. */
public final class FilePages {

    private FilePages() {
    }

    public static String tree(Links links, String repository, Directory dir) {
        Safe body = html("<section class=\"title\"><h1 class=\"path\">%s</h1>\n<p class=\"facts\"><span>at <b>%s</b></span></p></section>\n"
                + "<section>\n%s</section>\n", path(links, repository, dir.at(), true), dir.at().ref(),
                Tables.entries(links, repository, dir));
        return Layout.page(links, title(repository, dir.at()), Layout.crumbs(links, repository), body);
    }

    public static String file(Links links, String repository, FileContent f) {
        String raw = links.raw(repository, f.at().ref(), f.at().path());
        Safe content = switch (f.shown()) {
            case TEXT -> html("<pre class=\"file\">%s</pre>\n", f.text());
            case BINARY -> html("<p class=\"notice\">A binary file of %s: <a href=\"%s\">download it</a>.</p>\n",
                    Layout.size(f.size()), raw);
            case TOO_LARGE -> html("<p class=\"notice\">Too large to show (%s): <a href=\"%s\">download it</a>.</p>\n",
                    Layout.size(f.size()), raw);
        };
        Safe body = html("<section class=\"title\"><h1 class=\"path\">%s</h1>\n<p class=\"facts\"><span>at <b>%s</b></span>"
                + "<span>%s</span><a class=\"button\" href=\"%s\">Download</a></p></section>\n<section>\n%s</section>\n",
                path(links, repository, f.at(), false), f.at().ref(), Layout.size(f.size()), raw, content);
        return Layout.page(links, title(repository, f.at()), Layout.crumbs(links, repository), body);
    }

    /** {@code app / src / Main.java}: the root and every directory linked, the last segment too if a directory. */
    private static Safe path(Links links, String repository, Location at, boolean directory) {
        List<Safe> parts = new ArrayList<>();
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        parts.add(html("<a href=\"%s\">%s</a>", links.tree(repository, at.ref(), ""), name));
        if (!at.path().isEmpty()) {
            String[] segments = at.path().split("/");
            StringBuilder sofar = new StringBuilder();
            for (int i = 0; i < segments.length; i++) {
                sofar.append(i == 0 ? "" : "/").append(segments[i]);
                boolean last = i == segments.length - 1;
                parts.add(last && !directory ? html("%s", segments[i])
                        : html("<a href=\"%s\">%s</a>", links.tree(repository, at.ref(), sofar.toString()), segments[i]));
            }
        }
        return new Safe(String.join("<span class=\"sep\">/</span>", parts.stream().map(Safe::html).toList()));
    }

    private static String title(String repository, Location at) {
        return (at.path().isEmpty() ? repository : at.path() + " \u00b7 " + repository) + " at " + at.ref();
    }
}
