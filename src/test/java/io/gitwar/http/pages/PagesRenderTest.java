package io.gitwar.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.admin.RepositoryPage;
import io.gitwar.service.browse.CommitSummary;
import io.gitwar.service.browse.Directory;
import io.gitwar.service.browse.FileContent;
import io.gitwar.service.browse.Location;
import io.gitwar.service.browse.Overview;
import io.gitwar.service.browse.Readme;
import io.gitwar.service.browse.RefList;
import io.gitwar.service.browse.RefSummary;
import io.gitwar.service.browse.TreeEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every page, fed hostile names and texts: the markup it produces has no script and no event handler. */
class PagesRenderTest {

    private static final String EVIL = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    private static final String ID = "0123456789abcdef0123456789abcdef01234567";

    private final Links links = new Links("/git");
    private final CommitSummary commit = new CommitSummary(ID, EVIL, EVIL, Instant.ofEpochSecond(1_700_000_000L));
    private final Location at = new Location(EVIL, ID, "");
    private final Directory root = new Directory(at, List.of(
            new TreeEntry(EVIL, EVIL, TreeEntry.Kind.DIRECTORY, -1),
            new TreeEntry(EVIL + ".txt", EVIL + ".txt", TreeEntry.Kind.FILE, 12)), 2);

    @Test
    void theRepositoryPageShowsHostileTextAsText() {
        String markdown = "# Title\n\n<script>alert(3)</script>\n\n[click](javascript:alert(4)) <b onclick=\"alert(5)\">x</b>\n";
        Readme readme = new Readme(new FileContent(at.at("README.md"), ID, markdown.length(), FileContent.Shown.TEXT, markdown), true);
        Overview o = new Overview(EVIL, new RefList(List.of(new RefSummary(EVIL, commit)), 3),
                new RefList(List.of(new RefSummary(EVIL, null)), 1), List.of(commit), root, readme);
        String page = HomePage.render(links, "team/app", "http://h/git/team/app.git\"<script>",
                new RepositoryFacts("team/app", EVIL, ID, 1234, 2, Instant.EPOCH, false, 1, 3, 4096, false), o);
        assertInert(page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        assertTrue(page.contains("<h1>Title</h1>"), "markdown is rendered");
        assertTrue(page.contains("&lt;script&gt;alert(3)&lt;/script&gt;"), "raw HTML in markdown is text");
        assertTrue(page.contains("and 2 more branches"), page);
        assertTrue(page.contains("git clone http://h/git/team/app.git&quot;&lt;script&gt;"), page);
    }

    @Test
    void treeFileListingAndErrorPagesToo() {
        assertInert(FilePages.tree(links, "team/app", root));
        assertInert(FilePages.file(links, "team/app", new FileContent(at.at(EVIL), ID, 40, FileContent.Shown.TEXT, EVIL)));
        assertInert(FilePages.file(links, "team/app", new FileContent(at.at(EVIL), ID, 40, FileContent.Shown.BINARY, null)));
        assertInert(ListingPage.render(links, EVIL, EVIL, new RepositoryPage(List.of(
                new RepositoryFacts("team/app", EVIL, ID, 1, 1, null, false, 1, 1, 1, false)), EVIL)));
        assertInert(ErrorPage.render(links, 404, EVIL));
    }

    @Test
    void anEmptyRepositorySaysHowToPush() {
        Overview empty = new Overview("main", new RefList(List.of(), 0), new RefList(List.of(), 0), List.of(), null, null);
        String page = HomePage.render(links, "team/new", "http://h/git/team/new.git",
                new RepositoryFacts("team/new", "main", null, 0, 0, null, false, 0, 0, 0, false), empty);
        assertTrue(page.contains("git push http://h/git/team/new.git main"), page);
        Overview elsewhere = new Overview("main", new RefList(List.of(new RefSummary("master", commit)), 1),
                new RefList(List.of(), 0), List.of(), null, null);
        String other = HomePage.render(links, "team/new", "http://h/git/team/new.git",
                new RepositoryFacts("team/new", "main", null, 10, 1, null, false, 1, 3, 100, false), elsewhere);
        assertTrue(other.contains("The default branch main does not exist"), other);
    }

    @Test
    void theCheckFindsActiveMarkup() {
        assertEquals(List.of("<script>", "<img onerror>", "<a href=javascript:alert(1)>"), InertHtml.activeParts(
                "<p><script>x</script><img src=x onerror=y><a href=' JavaScript:alert(1)'>a</a></p>"));
    }

    private static void assertInert(String page) {
        assertEquals(List.of(), InertHtml.activeParts(page), page);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<meta name=\"viewport\""));
    }
}
