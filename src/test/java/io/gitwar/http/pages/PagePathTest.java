package io.gitwar.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitwar.failure.BadRequest;
import io.gitwar.service.RepositoryName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagePathTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // path                                       | page
        "''                                           | Listing[]",
        "/                                            | Listing[]",
        "/-                                           | Listing[]",
        "/-/                                          | Listing[]",
        "/team/app.git                                | Home[repository=team/app.git]",
        "/team/app                                    | Home[repository=team/app]",
        "/team/app.git/                               | Home[repository=team/app.git]",
        "/team/-/app.git                              | Home[repository=team/-/app.git]",
        "/team/app.git/~/tree/main                    | View[repository=team/app.git, kind=TREE, encoded=main]",
        "/team/app.git/~/tree/topic/x/src/            | View[repository=team/app.git, kind=TREE, encoded=topic/x/src/]",
        "/a.git/~/blob/main/%3Cimg%20src%3Dx%3E.txt   | View[repository=a.git, kind=BLOB, encoded=main/%3Cimg%20src%3Dx%3E.txt]",
        "/a.git/~/raw/main/d/~/f                      | View[repository=a.git, kind=RAW, encoded=main/d/~/f]",
        "/a.git/~/tree                                | Home[repository=a.git]",
        "/a.git/~/tree/                               | Home[repository=a.git]",
        "/a.git/~/blob/                               | Unknown[]",
        "/a.git/~/edit/main/f                         | Unknown[]",
        "/a.git/~/                                    | Unknown[]",
        // gitwar's own URLs stay theirs
        "/-/api/v1/repos                              | null",
        "/-/health/ready                              | null",
        "/-/metrics                                   | null",
        "/-/static/gitwar.css                         | null",
        "/-/x/~/tree/main                             | null",
    })
    void namesThePage(String path, String page) {
        assertEquals(page, String.valueOf(PagePath.parse(path)));
    }

    @Test
    void theMarkerCanNeverBeAPartOfARepositoryName() {
        assertThrows(RuntimeException.class, () -> RepositoryName.parse("a/" + PagePath.MARKER + "/b"));
        assertThrows(RuntimeException.class, () -> RepositoryName.parse(PagePath.MARKER));
        RepositoryName.parse("a/-/b"); // why '-' is not the marker: it is a valid inner segment
    }

    @Test
    void viewsDecodePercentEscapesButNotPlus() {
        PagePath.View v = (PagePath.View) PagePath.parse("/a.git/~/blob/main/a+b%20c%2B%26%22.txt");
        assertEquals("main/a+b c+&\".txt", v.refAndPath());
        PagePath.View bad = (PagePath.View) PagePath.parse("/a.git/~/blob/main/%zz");
        assertThrows(BadRequest.class, bad::refAndPath);
    }

    @Test
    void linksParseBackToWhatTheyName() {
        Links links = new Links("/git");
        String evil = "dir/<img src=x onerror=alert(1)>.txt";
        String ref = "a&\"b<c>";
        String url = links.blob("team/app", ref, evil);
        assertEquals("/git/team/app.git/~/blob/a%26%22b%3Cc%3E/dir/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt", url);
        PagePath.View v = (PagePath.View) PagePath.parse(url.substring("/git".length()));
        assertEquals(ref + "/" + evil, v.refAndPath());
        assertEquals("team/app.git", v.repository());
        assertEquals("/git/team/app.git", links.home("team/app"));
        assertEquals("/git/?q=a+%26+b&after=x%2Fy", links.listing("a & b", "x/y"));
    }
}
