package io.gitwar.service.browse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.MapConfig;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.NotFound;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.JGitEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browse service on a real gitwar repository (SQLite file, JGit), written as a push would. */
class BrowserTest {

    private static final RepositoryName NAME = RepositoryName.parse("team/app");

    @TempDir
    Path tmp;

    ActorRegistry registry;
    final Browser browser = new Browser();
    ObjectId first;
    ObjectId second;
    byte[] big;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @BeforeEach
    void repository() throws IOException {
        registry = new ActorRegistry(GitwarConfig.from(new MapConfig(Map.of("gitwar.data-dir", tmp.toString()))));
        big = new byte[Browser.MAX_TEXT_BYTES + 1];
        Arrays.fill(big, (byte) 'x');
        write(tx -> {
            Repository r = tx.repository();
            try (ObjectInserter ins = r.newObjectInserter()) {
                TreeFormatter src = new TreeFormatter();
                src.append("a.txt", FileMode.REGULAR_FILE, blob(ins, "a\n"));
                TreeFormatter root = new TreeFormatter();
                root.append("<img src=x onerror=alert(1)>.txt", FileMode.REGULAR_FILE, blob(ins, "<script>alert(1)</script>\n"));
                root.append("README.md", FileMode.REGULAR_FILE, blob(ins, "# Hello\n"));
                root.append("big.txt", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, big));
                root.append("link", FileMode.SYMLINK, blob(ins, "src/a.txt"));
                root.append("nul-at-7999.bin", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, nulAt(7999)));
                root.append("nul-at-8000.txt", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, nulAt(8000)));
                root.append("src", FileMode.TREE, ins.insert(src));
                first = commit(ins, ins.insert(root), null, "first\n", 1);
                second = commit(ins, ins.insert(root), first, "<script>alert(1)</script> second\n\nbody\n", 2);
                TagBuilder tag = new TagBuilder();
                tag.setObjectId(first, Constants.OBJ_COMMIT);
                tag.setTag("v1.0");
                tag.setTagger(who(3));
                tag.setMessage("release\n");
                ObjectId tagId = ins.insert(tag);
                ObjectId notACommit = blob(ins, "not a commit");
                ins.flush();
                set(r, "refs/heads/main", second);
                set(r, "refs/heads/topic/x", first);
                set(r, "refs/heads/a&\"b<c>", first);
                set(r, "refs/tags/v1.0", tagId);
                set(r, "refs/tags/topic", second);
                set(r, "refs/tags/blob-tag", notACommit);
            }
        });
    }

    @Test
    void theOverviewShowsBranchesTagsCommitsFilesAndTheReadme() throws IOException {
        try (Lease lease = registry.lease(NAME)) {
            Overview o = browser.overview(lease);
            assertEquals("main", o.defaultBranch());
            assertEquals(List.of("a&\"b<c>", "main", "topic/x"), o.branches().shown().stream().map(RefSummary::name).toList());
            assertEquals(3, o.branches().total());
            assertEquals(second.name(), o.branches().shown().get(1).commit().id());
            assertEquals(List.of("blob-tag", "topic", "v1.0"), o.tags().shown().stream().map(RefSummary::name).toList());
            assertNull(o.tags().shown().get(0).commit(), "a tag of a blob names no commit");
            assertEquals(first.name(), o.tags().shown().get(2).commit().id(), "an annotated tag is peeled");
            assertEquals(List.of("<script>alert(1)</script> second", "first"),
                    o.commits().stream().map(CommitSummary::subject).toList());
            assertEquals("A U Thor", o.commits().get(0).author());
            assertEquals(1_700_000_000L + 2 * 3600, o.commits().get(0).time().getEpochSecond());
            assertEquals("src", o.root().entries().get(0).name(), "directories first");
            assertEquals(TreeEntry.Kind.DIRECTORY, o.root().entries().get(0).kind());
            assertEquals(7, o.root().total());
            TreeEntry link = o.root().entries().stream().filter(e -> e.name().equals("link")).findFirst().orElseThrow();
            assertEquals(TreeEntry.Kind.SYMLINK, link.kind());
            TreeEntry bigEntry = o.root().entries().stream().filter(e -> e.name().equals("big.txt")).findFirst().orElseThrow();
            assertEquals(big.length, bigEntry.size());
            assertTrue(o.readme().markdown());
            assertEquals("# Hello\n", o.readme().file().text());
        }
    }

    @Test
    void theLongestRefWinsAndThePathIsTheRest() throws IOException {
        try (Lease lease = registry.lease(NAME)) {
            Location branch = browser.locate(lease, "topic/x/src/a.txt");
            assertEquals(new Location("topic/x", first.name(), "src/a.txt"), branch);
            Location tag = browser.locate(lease, "topic/src/");
            assertEquals(new Location("topic", second.name(), "src"), tag);
            assertEquals(new Location("v1.0", first.name(), ""), browser.locate(lease, "v1.0"));
            assertEquals(new Location(first.name(), first.name(), "README.md"), browser.locate(lease, first.name() + "/README.md"));
            assertEquals("a&\"b<c>", browser.locate(lease, "a&\"b<c>/src").ref());
            assertThrows(NotFound.class, () -> browser.locate(lease, "nope/src"));
            assertThrows(NotFound.class, () -> browser.locate(lease, "blob-tag"), "a tag of a blob is no revision");
            assertThrows(NotFound.class, () -> browser.locate(lease, ObjectId.zeroId().name()));
            assertThrows(BadRequest.class, () -> browser.locate(lease, "main//src"));
            assertThrows(BadRequest.class, () -> browser.locate(lease, "main/" + "d/".repeat(Browser.MAX_PATH_BYTES)));
        }
    }

    @Test
    void directoriesAndFiles() throws IOException {
        try (Lease lease = registry.lease(NAME)) {
            Directory src = browser.directory(lease, browser.locate(lease, "main/src"));
            assertEquals(List.of(new TreeEntry("a.txt", "src/a.txt", TreeEntry.Kind.FILE, 2)), src.entries());
            assertThrows(NotFound.class, () -> browser.directory(lease, browser.locate(lease, "main/README.md")));
            assertThrows(NotFound.class, () -> browser.directory(lease, browser.locate(lease, "main/none")));

            FileContent evil = browser.file(lease, browser.locate(lease, "main/<img src=x onerror=alert(1)>.txt"));
            assertEquals(FileContent.Shown.TEXT, evil.shown());
            assertEquals("<script>alert(1)</script>\n", evil.text());
            assertEquals(FileContent.Shown.BINARY, browser.file(lease, browser.locate(lease, "main/nul-at-7999.bin")).shown());
            assertEquals(FileContent.Shown.TEXT, browser.file(lease, browser.locate(lease, "main/nul-at-8000.txt")).shown(),
                    "git looks at the first 8000 bytes only");
            FileContent large = browser.file(lease, browser.locate(lease, "main/big.txt"));
            assertEquals(FileContent.Shown.TOO_LARGE, large.shown());
            assertNull(large.text());
            assertEquals(big.length, large.size());
            assertThrows(NotFound.class, () -> browser.file(lease, browser.locate(lease, "main/src")));
            assertThrows(NotFound.class, () -> browser.file(lease, browser.locate(lease, "main")));
        }
    }

    @Test
    void aRawFileIsStreamed() throws IOException {
        try (Lease lease = registry.lease(NAME); RawFile raw = browser.raw(lease, browser.locate(lease, "main/big.txt"))) {
            assertEquals(big.length, raw.size());
            assertEquals("big.txt", raw.name());
            try (InputStream in = raw.open()) {
                assertArrayEquals(big, in.readAllBytes());
            }
        }
    }

    @Test
    void theRefsDigestChangesWhenARefMoves() throws IOException {
        String before;
        try (Lease lease = registry.lease(NAME)) {
            before = browser.refsDigest(lease);
            assertEquals(before, browser.refsDigest(lease));
        }
        write(tx -> set(tx.repository(), "refs/heads/topic/x", second));
        try (Lease lease = registry.lease(NAME)) {
            assertNotEquals(before, browser.refsDigest(lease));
        }
    }

    @Test
    void manyBranchesAreCountedNotAllShown() throws IOException {
        write(tx -> {
            for (int i = 0; i < Browser.MAX_REFS + 5; i++) {
                set(tx.repository(), "refs/heads/many/" + i, first);
            }
        });
        try (Lease lease = registry.lease(NAME)) {
            RefList branches = browser.overview(lease).branches();
            assertEquals(Browser.MAX_REFS, branches.shown().size());
            assertEquals(Browser.MAX_REFS + 5 + 3, branches.total());
        }
    }

    @Test
    void aDirectoryTooLargeToListIsRefusedBeforeItIsParsed() throws IOException {
        write(tx -> {
            try (ObjectInserter ins = tx.repository().newObjectInserter()) {
                ObjectId one = blob(ins, "x");
                TreeFormatter huge = new TreeFormatter();
                for (int i = 0; i * 40L <= Browser.MAX_TREE_BYTES; i++) {
                    huge.append(String.format("entry-%09d", i), FileMode.REGULAR_FILE, one); // 40 bytes an entry
                }
                TreeFormatter root = new TreeFormatter();
                root.append("huge", FileMode.TREE, ins.insert(huge));
                ObjectId c = commit(ins, ins.insert(root), second, "huge\n", 9);
                ins.flush();
                set(tx.repository(), "refs/heads/huge", c);
            }
        });
        try (Lease lease = registry.lease(NAME)) {
            assertEquals(1, browser.directory(lease, browser.locate(lease, "huge")).total());
            assertThrows(LimitExceeded.class, () -> browser.directory(lease, browser.locate(lease, "huge/huge")));
        }
    }

    @Test
    void aMissingRepositoryIsNotFound() {
        try (Lease lease = registry.lease(RepositoryName.parse("none"))) {
            assertThrows(RepositoryNotFound.class, () -> browser.overview(lease));
        }
    }

    private interface Change {
        void apply(WriteTransaction tx) throws IOException;
    }

    private void write(Change change) throws IOException {
        try (Lease lease = registry.lease(NAME)) {
            lease.actor().write(Duration.ofSeconds(30), 1, store -> {
                try (WriteTransaction tx = store.beginWrite()) {
                    change.apply(tx);
                    tx.commit();
                }
                return null;
            });
        }
    }

    private static byte[] nulAt(int index) {
        byte[] b = new byte[index + 10];
        Arrays.fill(b, (byte) 'a');
        b[index] = 0;
        return b;
    }

    private static ObjectId blob(ObjectInserter ins, String text) throws IOException {
        return ins.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
    }

    private static PersonIdent who(int n) {
        return new PersonIdent("A U Thor", "a@example.invalid", (1_700_000_000L + n * 3600L) * 1000, 0);
    }

    private static ObjectId commit(ObjectInserter ins, ObjectId tree, ObjectId parent, String message, int n)
            throws IOException {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setAuthor(who(n));
        c.setCommitter(who(n));
        c.setMessage(message);
        if (parent != null) {
            c.setParentId(parent);
        }
        return ins.insert(c);
    }

    private static void set(Repository r, String ref, ObjectId id) throws IOException {
        RefUpdate u = r.updateRef(ref);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        RefUpdate.Result result = u.update();
        assertTrue(result == RefUpdate.Result.NEW || result == RefUpdate.Result.FORCED, ref + ": " + result);
    }
}
