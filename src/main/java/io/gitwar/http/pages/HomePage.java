package io.gitwar.http.pages;

import static io.gitwar.http.pages.Html.html;

import io.gitwar.http.pages.Html.Safe;
import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.browse.FileContent;
import io.gitwar.service.browse.Overview;
import io.gitwar.service.browse.Readme;

/**
 * A repository's page: its name and facts, how to clone it (git and isomorphic-git), the default
 * branch's files and README, its latest commits, branches and tags.
 */
public final class HomePage {

    private HomePage() {
    }

    /**
     * @param repository the repository's name as the page names it
     * @param cloneUrl its smart HTTP URL ({@code http://host/git/NAME.git})
     */
    public static String render(Links links, String repository, String cloneUrl, RepositoryFacts facts, Overview o) {
        String branch = o.defaultBranch() == null ? "main" : o.defaultBranch();
        Safe files = o.root() == null && o.branches().total() > 0
                ? html("<section><h2>Files</h2>\n<p class=\"notice\">The default branch %s does not exist;"
                        + " its other branches are listed below.</p></section>\n", branch)
                : o.root() == null
                ? html("""
                        <section><h2>Empty repository</h2>
                        <p class="notice">Nothing here yet. Push to it:</p>
                        <pre class="cmd">git push %s %s</pre></section>
                        """, cloneUrl, branch)
                : html("<section><h2>Files <span class=\"tag\">%s</span></h2>\n%s</section>\n", o.root().at().ref(),
                        Tables.entries(links, repository, o.root()));
        Safe body = html("""
                <section class="title"><h1>%s</h1>
                <p class="facts"><span>default branch <b>%s</b></span><span>%s</span><span>last push %s</span>%s</p></section>
                <section class="clone"><h2>Clone</h2>
                <pre class="cmd">git clone %s</pre>
                <details><summary>With isomorphic-git</summary>
                <pre class="code">import git from 'isomorphic-git'
                import http from 'isomorphic-git/http/web'
                import LightningFS from '@isomorphic-git/lightning-fs'

                const fs = new LightningFS('fs')
                await git.clone({ fs, http, dir: '/%s', url: '%s', ref: '%s', singleBranch: true })</pre>
                </details></section>
                %s%s<section><h2>Latest commits on %s</h2>
                %s</section>
                <section><h2>Branches <span class="count">%s</span></h2>
                %s</section>
                <section><h2>Tags <span class="count">%s</span></h2>
                %s</section>
                """, repository, o.defaultBranch() == null ? "none" : o.defaultBranch(), Layout.size(facts.sizeBytes()),
                Layout.time(facts.lastPushAt()), facts.readOnly() ? html("<span class=\"tag\">read-only</span>") : Safe.EMPTY,
                cloneUrl, repository.substring(repository.lastIndexOf('/') + 1), cloneUrl, branch,
                files, readme(links, repository, o.readme()), branch,
                o.commits().isEmpty() ? html("<p class=\"notice\">No commits.</p>\n") : Tables.commits(links, repository, o.commits()),
                o.branches().total(), Tables.refs(links, repository, o.branches(), o.defaultBranch(), "branches"),
                o.tags().total(), Tables.refs(links, repository, o.tags(), null, "tags"));
        return Layout.page(links, repository, Layout.crumbs(links, repository), body);
    }

    private static Safe readme(Links links, String repository, Readme readme) {
        if (readme == null) {
            return Safe.EMPTY;
        }
        FileContent f = readme.file();
        String name = f.at().path();
        Safe content = switch (f.shown()) {
            case TEXT -> readme.markdown() ? html("<article class=\"markdown\">%s</article>", Markdown.render(f.text(),
                    path -> links.blob(repository, f.at().ref(), path), ""))
                    : html("<pre class=\"file\">%s</pre>", f.text());
            case TOO_LARGE, BINARY -> html("<p class=\"notice\"><a href=\"%s\">%s</a> is not shown here (%s).</p>",
                    links.blob(repository, f.at().ref(), name), name, Layout.size(f.size()));
        };
        return html("<section class=\"readme\"><h2><a href=\"%s\">%s</a></h2>\n%s\n</section>\n",
                links.blob(repository, f.at().ref(), name), name, content);
    }
}
