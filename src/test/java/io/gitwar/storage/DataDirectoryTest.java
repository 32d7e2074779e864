package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.dfs.JGitEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The data directory's layout on a real file system: names that try to squat on another
 * repository's files cannot, and the old layout is moved to the new one at startup, including
 * what an interrupted move or an earlier attack left behind.
 */
class DataDirectoryTest {

    @TempDir
    Path root;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    /** Each row: a repository, and a name whose inner segments are where the first's files were. */
    @ParameterizedTest
    @CsvSource({
        "W, W.git/repository.sqlite-wal/x",
        "V, V.git/repository.sqlite/x",
        "W, W.git.sqlite-wal/x",
        "V, V.git.sqlite/x",
        "a/b, a.d/b.git.sqlite-shm/x",
        "a/b, a/b.git.sqlite-journal/y/z",
    })
    void noNameCanTakeAnotherRepositorysFiles(String victim, String squatter) throws Exception {
        for (List<String> order : List.of(List.of(squatter, victim), List.of(victim, squatter))) {
            Path dir = Files.createDirectories(root.resolve("order" + order.indexOf(victim)));
            DataDirectory d = new DataDirectory(dir);
            for (String name : order) {
                ObjectId tip = create(d, name);
                assertEquals(tip, mainOf(d, name), name + " after " + order);
            }
            // both survive their connections closing (idle release, restart) and a write after that
            for (String name : order) {
                try (SqliteStore store = d.store(name); WriteTransaction tx = store.beginWrite()) {
                    tx.commit();
                }
                assertTrue(Files.isRegularFile(d.fileOf(name)), name);
                mainOf(d, name);
            }
        }
    }

    @Test
    void theOldLayoutIsMovedAndItsDirectoriesRemoved() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        ObjectId app = create(new DataDirectory(staged), "app");
        ObjectId nested = create(new DataDirectory(staged), "team/app");
        Path oldApp = old("app", staged.resolve("app.git.sqlite"));
        Path oldNested = old("team/app", staged.resolve("team.d/app.git.sqlite"));

        DataDirectory data = DataDirectory.open(root);
        data.migrateOldLayout();

        assertEquals(app, mainOf(data, "app"));
        assertEquals(nested, mainOf(data, "team/app"));
        assertFalse(Files.exists(oldApp.getParent()), "old directory removed");
        assertFalse(Files.exists(oldNested.getParent().getParent()), "old directories removed up to the root");
        assertEquals(Map.of(), data.damaged().all());

        data.migrateOldLayout(); // idempotent
        assertEquals(app, mainOf(data, "app"));
    }

    @Test
    void aSquatterOfTheOldLayoutMovesFirstSoItsVictimCanBeOpenedAndMoved() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        ObjectId w = create(new DataDirectory(staged), "W");
        ObjectId x = create(new DataDirectory(staged), "W.git/repository.sqlite-wal/x");
        old("W", staged.resolve("W.git.sqlite"));
        // the state the attack left: a directory where W's WAL must be created
        old("W.git/repository.sqlite-wal/x", staged.resolve("W.git.d/repository.sqlite-wal.d/x.git.sqlite"));
        assertTrue(Files.isDirectory(root.resolve("W.git/repository.sqlite-wal")));

        DataDirectory data = DataDirectory.open(root);
        data.migrateOldLayout();

        assertEquals(w, mainOf(data, "W"));
        assertEquals(x, mainOf(data, "W.git/repository.sqlite-wal/x"));
        assertFalse(Files.exists(root.resolve("W.git")));
    }

    @Test
    void commitsStillInTheOldFilesWalComeAlong() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        create(new DataDirectory(staged), "app");
        Path file = staged.resolve("app.git.sqlite");
        Path old = Files.createDirectories(root.resolve("app.git")).resolve("repository.sqlite");
        String id = "1234567890123456789012345678901234567890";
        // a copy taken while a connection holds a commit in the WAL: what a crash leaves
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
            s.execute("INSERT INTO ref (name, object_id) VALUES ('refs/heads/wal', '" + id + "')");
            assertTrue(Files.size(Path.of(file + "-wal")) > 0);
            Files.copy(file, old);
            Files.copy(Path.of(file + "-wal"), Path.of(old + "-wal"));
        }

        DataDirectory data = DataDirectory.open(root);
        data.migrateOldLayout();

        try (SqliteStore store = data.store("app"); ReadSnapshot s = store.openSnapshot()) {
            assertEquals(id, s.repository().exactRef("refs/heads/wal").getObjectId().name());
        }
        assertFalse(Files.exists(Path.of(data.fileOf("app") + "-wal")) && Files.size(Path.of(data.fileOf("app") + "-wal")) > 0);
    }

    @Test
    void aMoveInterruptedAfterTheLinkIsFinished() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        ObjectId app = create(new DataDirectory(staged), "team/app");
        Path old = old("team/app", staged.resolve("team.d/app.git.sqlite"));
        DataDirectory data = DataDirectory.open(root);
        Files.createDirectories(data.fileOf("team/app").getParent());
        Files.createLink(data.fileOf("team/app"), old); // the crash came right after the link

        data.migrateOldLayout();

        assertFalse(Files.exists(old));
        assertFalse(Files.exists(root.resolve("team")));
        assertEquals(app, mainOf(data, "team/app"));
    }

    @Test
    void aConflictLeavesBothFilesAndRefusesTheName() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        create(new DataDirectory(staged), "app");
        Path old = old("app", staged.resolve("app.git.sqlite"));
        DataDirectory data = DataDirectory.open(root);
        ObjectId newer = create(data, "app");
        byte[] before = Files.readAllBytes(old);

        DataDirectory restarted = DataDirectory.open(root);
        restarted.migrateOldLayout();

        assertTrue(Files.exists(old));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(old)));
        assertTrue(restarted.damaged().all().get("app").contains("another file"), restarted.damaged().all().toString());
        try (SqliteStore store = restarted.store("app")) {
            assertThrows(RepositoryDamagedException.class, store::openSnapshot);
            assertThrows(RepositoryDamagedException.class, store::beginWrite);
        }
        assertEquals(newer, mainOf(data, "app")); // untouched, served again once the conflict is resolved
    }

    @Test
    void gitwarsOwnDirectoriesAreNotTakenForRepositories() throws Exception {
        Path staged = Files.createDirectories(root.resolve("elsewhere"));
        create(new DataDirectory(staged), "app");
        Path inStaging = Files.createDirectories(root.resolve(".staging/x.git")).resolve("repository.sqlite");
        Files.copy(staged.resolve("app.git.sqlite"), inStaging);

        DataDirectory data = DataDirectory.open(root);
        data.migrateOldLayout();

        assertTrue(Files.exists(inStaging));
        assertFalse(Files.exists(data.fileOf("x")));
    }

    @Test
    void thisFileSystemTellsCaseApartAndNamesStayAsTheyAre() throws Exception {
        // tmpfs and ext4 are case-sensitive; HostileStorageIT runs the other case on exFAT
        DataDirectory data = DataDirectory.open(root);
        assertFalse(data.caseInsensitive());
        assertEquals("Team/App", data.canonicalName("Team/App"));
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(List.of(), left.toList(), "the probe file is removed");
        }
    }

    /** A repository {@code name} in {@code data} with one commit on main; its connections closed. */
    static ObjectId create(DataDirectory data, String name) throws Exception {
        try (SqliteStore store = data.store(name); WriteTransaction tx = store.beginWrite()) {
            ObjectId c = SqliteRepositoryTest.commit(tx.repository(), name, null);
            assertEquals(RefUpdate.Result.NEW, SqliteRepositoryTest.update(tx.repository(), "refs/heads/main", c,
                    ObjectId.zeroId()));
            tx.commit();
            return c;
        }
    }

    static ObjectId mainOf(DataDirectory data, String name) throws Exception {
        try (SqliteStore store = data.store(name); ReadSnapshot s = store.openSnapshot()) {
            Ref main = s.repository().exactRef("refs/heads/main");
            return main == null ? null : main.getObjectId();
        }
    }

    /** Puts {@code file} where the old layout kept repository {@code name}. */
    private Path old(String name, Path file) throws Exception {
        Path old = Files.createDirectories(root.resolve(name + ".git")).resolve("repository.sqlite");
        Files.move(file, old);
        return old;
    }
}
