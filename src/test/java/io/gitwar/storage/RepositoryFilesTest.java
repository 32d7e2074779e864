package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.dfs.JGitEnvironment;
import java.io.ByteArrayInputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations on whole repository files: listing names, copying, checking a file from elsewhere,
 * publishing, replacing and removing, and the name holds that keep a removed file's name from
 * being reused while it is still open.
 */
class RepositoryFilesTest {

    @TempDir
    Path root;

    DataDirectory data;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @BeforeEach
    void open() throws Exception {
        data = DataDirectory.open(root);
    }

    @Test
    void namesAreListedSortedByPrefixAndAfterACursor() throws Exception {
        for (String n : List.of("z", "b/d", "a", "b-e", "b/c", "b/c/deep")) {
            touch(n);
        }
        Files.createDirectories(root.resolve(".trash/x.d")); // gitwar's own: never a name
        Files.createFile(root.resolve(".trash/x.d/y.git.sqlite"));
        assertEquals(List.of("a", "b-e", "b/c", "b/c/deep", "b/d", "z"), data.names(null, null, 10));
        assertEquals(List.of("b/c", "b/c/deep", "b/d"), data.names("b/", null, 10));
        assertEquals(List.of("b/c/deep"), data.names("b/c/", null, 10));
        assertEquals(List.of("a", "b-e"), data.names("", null, 2));
        assertEquals(List.of("b/c", "b/c/deep"), data.names(null, "b-e", 2));
        assertEquals(List.of("b/d", "z"), data.names(null, "b/c/deep", 2));
        assertEquals(List.of(), data.names(null, "z", 2));
    }

    @Test
    void pagesListEveryNameThatExistsThroughoutExactlyOnce() throws Exception {
        Set<String> stable = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            String n = "t" + (i % 7) + "/r" + i;
            touch(n);
            stable.add(n);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            Random random = new Random(1);
            try {
                while (!stop.get()) {
                    String n = "t" + random.nextInt(8) + "/c" + random.nextInt(50);
                    Path f = data.fileOf(n);
                    if (Files.exists(f)) {
                        Files.deleteIfExists(f);
                    } else {
                        Files.createDirectories(f.getParent());
                        Files.createFile(f);
                    }
                }
            } catch (Exception ignored) {
                // the other side of a race the walk must survive
            }
        });
        churn.start();
        try {
            for (int round = 0; round < 20; round++) {
                List<String> seen = new ArrayList<>();
                String cursor = null;
                while (true) {
                    List<String> page = data.names(null, cursor, 7);
                    if (page.isEmpty()) {
                        break;
                    }
                    seen.addAll(page);
                    cursor = page.get(page.size() - 1);
                }
                List<String> stableSeen = seen.stream().filter(stable::contains).toList();
                assertEquals(List.copyOf(stable), stableSeen, "round " + round);
                assertEquals(seen.size(), new TreeSet<>(seen).size(), "no name twice");
            }
        } finally {
            stop.set(true);
            churn.join();
        }
    }

    @Test
    void aCopyIsWholeAndPassesTheChecksAndIsPublishedUnderANewName() throws Exception {
        ObjectId main = DataDirectoryTest.create(data, "src");
        try (SqliteStore source = data.store("src"); StagedFile copy = data.stage()) {
            copy.copyOf(source);
            assertEquals(List.of(), copy.validate());
            NameHolds.Hold hold = data.holds().hold("dst");
            data.publish(copy, hold);
            hold.release();
        }
        assertEquals(main, DataDirectoryTest.mainOf(data, "dst"));
        try (Stream<Path> staged = Files.list(data.staging())) {
            assertEquals(List.of(), staged.toList());
        }
    }

    @Test
    void publishingNeverReplacesARepository() throws Exception {
        DataDirectoryTest.create(data, "a");
        DataDirectoryTest.create(data, "b");
        try (SqliteStore source = data.store("a"); StagedFile copy = data.stage()) {
            copy.copyOf(source);
            NameHolds.Hold hold = data.holds().hold("b");
            assertThrows(FileAlreadyExistsException.class, () -> data.publish(copy, hold));
            hold.release();
        }
    }

    @Test
    void truncatedCorruptAndForeignFilesAreRefused() throws Exception {
        DataDirectoryTest.create(data, "src");
        Path good = root.resolve("good.sqlite");
        try (SqliteStore source = data.store("src")) {
            source.copyTo(good);
        }
        byte[] bytes = Files.readAllBytes(good);
        assertRefused(new byte[0]);
        assertRefused(java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused("not a database at all, just text".repeat(100).getBytes());
        // bytes that matter (random ones may land in a page's unused space, which harms nothing):
        // the schema page's b-tree, the second page's b-tree header, the pack's objects
        int pack = indexOf(bytes, "PACK".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(pack > 0, "the copy holds the pack");
        for (int from : new int[] {100, io.gitwar.storage.file.Schema.PAGE_SIZE, pack + 12}) {
            byte[] corrupt = bytes.clone();
            Random random = new Random(from);
            for (int i = from; i < from + 64 && i < corrupt.length; i++) {
                corrupt[i] = (byte) random.nextInt();
            }
            assertRefused(corrupt);
        }
        try (StagedFile staged = data.stage()) {
            staged.receive(new ByteArrayInputStream(bytes), -1, room -> { });
            assertEquals(List.of(), staged.validate(), "the untouched copy passes");
        }
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWhileReceived() throws Exception {
        try (StagedFile staged = data.stage()) {
            assertThrows(StagedFile.TooLargeException.class,
                    () -> staged.receive(new ByteArrayInputStream(new byte[5000]), 4096, room -> { }));
        }
    }

    @Test
    void aRemovedFilesNameStaysHeldWhileASnapshotOfItIsOpen() throws Exception {
        ObjectId main = DataDirectoryTest.create(data, "gone");
        SqliteStore old = data.store("gone");
        ReadSnapshot reading = old.openSnapshot();
        assertEquals(main, reading.repository().exactRef("refs/heads/main").getObjectId());
        NameHolds.Hold hold = data.holds().hold("gone");
        old.close();
        assertTrue(data.remove("gone", Duration.ZERO));
        hold.releaseWhenClosed(old);

        assertEquals(NameHolds.State.DRAINING, data.holds().state("gone"));
        try (SqliteStore fresh = data.store("gone")) {
            assertThrows(RepositoryMissingException.class, fresh::openSnapshot, "reads find nothing: 404");
            assertThrows(RepositoryHeldException.class, fresh::beginWrite, "nothing is created meanwhile");
            // the read in progress goes on on its snapshot
            assertEquals(main, reading.repository().exactRef("refs/heads/main").getObjectId());
            reading.close();
            assertFalse(old.inUse());
            assertNull(data.holds().state("gone"));
            try (WriteTransaction tx = fresh.beginWrite()) {
                tx.commit(); // a new repository of the same name
            }
        }
        assertNull(DataDirectoryTest.mainOf(data, "gone"));
    }

    @Test
    void aRemovedRepositoryIsKeptInTheTrashUntilItsTimeIsOver() throws Exception {
        ObjectId main = DataDirectoryTest.create(data, "team/app");
        assertTrue(data.remove("team/app", Duration.ofHours(1)));
        assertFalse(Files.exists(data.fileOf("team/app")));
        assertFalse(data.remove("team/app", Duration.ofHours(1)));
        Path entry;
        try (Stream<Path> entries = Files.list(data.trash())) {
            entry = entries.findFirst().orElseThrow();
        }
        assertEquals("team/app\n", Files.readString(entry.resolve("name")));
        SqliteStore kept = SqliteStore.at(entry.resolve("app.git.sqlite"), "trash-" + System.nanoTime());
        try (ReadSnapshot s = kept.openSnapshot()) {
            assertEquals(main, s.repository().exactRef("refs/heads/main").getObjectId());
        } finally {
            kept.close();
        }
        data.emptyTrash(Duration.ofHours(1));
        assertTrue(Files.exists(entry));
        data.emptyTrash(Duration.ofHours(-1)); // a cutoff an hour ahead: the entry is over its time
        assertFalse(Files.exists(entry));
    }

    @Test
    void aReplacedRepositoryIsTheNewFileWhole() throws Exception {
        DataDirectoryTest.create(data, "a");
        ObjectId b = DataDirectoryTest.create(data, "b");
        try (SqliteStore source = data.store("b"); StagedFile copy = data.stage()) {
            copy.copyOf(source);
            copy.prepare();
            NameHolds.Hold hold = data.holds().hold("a");
            data.replace(copy, hold, Duration.ZERO);
            hold.release();
        }
        assertEquals(b, DataDirectoryTest.mainOf(data, "a"));
    }

    @Test
    void settingsAreStoredPerRepository() throws Exception {
        DataDirectoryTest.create(data, "s");
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        try (SqliteStore store = data.store("s")) {
            try (WriteTransaction tx = store.beginWrite()) {
                assertFalse(tx.readOnly());
                assertNull(tx.lastPushAt());
                tx.setReadOnly(true);
                assertEquals(1, tx.recordPush(at));
                tx.commit();
            }
            try (WriteTransaction tx = store.beginWrite()) {
                assertEquals(2, tx.recordPush(at));
                tx.commit();
            }
            try (WriteTransaction tx = store.beginWrite()) {
                assertEquals(3, tx.recordPush(at));
                tx.rollback(); // a push that stored nothing is no generation
            }
            try (ReadSnapshot s = store.openSnapshot()) {
                assertTrue(s.readOnly());
                assertEquals(at, s.lastPushAt());
                assertEquals(2, s.generation());
                assertEquals(1, s.refCount());
            }
            try (StagedFile copy = data.stage()) {
                copy.copyOf(store);
                copy.resetSettings();
                NameHolds.Hold hold = data.holds().hold("fork");
                data.publish(copy, hold);
                hold.release();
            }
        }
        try (SqliteStore fork = data.store("fork"); ReadSnapshot s = fork.openSnapshot()) {
            assertFalse(s.readOnly());
            assertNull(s.lastPushAt());
            assertEquals(0, s.generation());
        }
    }

    private void assertRefused(byte[] file) throws Exception {
        try (StagedFile staged = data.stage()) {
            staged.receive(new ByteArrayInputStream(file), -1, room -> { });
            List<String> problems = staged.validate();
            assertFalse(problems.isEmpty(), "a file of " + file.length + " bytes was taken");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void touch(String name) throws Exception {
        Path f = data.fileOf(name);
        Files.createDirectories(f.getParent());
        Files.createFile(f);
    }
}
