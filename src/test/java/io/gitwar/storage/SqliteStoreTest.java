package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.dfs.JGitEnvironment;
import io.gitwar.storage.file.Wal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a store does with a file it did not make: a file that is not a gitwar repository is
 * reported and never rewritten, by a read or a write; an older schema is migrated only by a write;
 * and the WAL is given back after a stalled reader.
 */
class SqliteStoreTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "foreign", "text", "newer"})
    void aFileThatIsNotAGitwarRepositoryIsReportedAndNeverWritten(String kind) throws Exception {
        DataDirectory data = new DataDirectory(dir);
        Path file = data.fileOf(kind);
        switch (kind) {
            case "empty" -> Files.createFile(file);
            case "text" -> Files.writeString(file, "not SQLite\n".repeat(500));
            default -> sql(file, kind.equals("foreign") ? "CREATE TABLE notes (text TEXT)" : "PRAGMA user_version = 99");
        }
        if (kind.equals("newer")) {
            DataDirectoryTest.create(new DataDirectory(dir.resolve("x")), "newer");
            Files.delete(file);
            Files.copy(dir.resolve("x/newer.git.sqlite"), file);
            sql(file, "PRAGMA user_version = 99");
        }
        byte[] before = Files.readAllBytes(file);
        try (SqliteStore store = data.store(kind)) {
            for (int i = 0; i < 3; i++) {
                RepositoryDamagedException read = assertThrows(RepositoryDamagedException.class, store::openSnapshot);
                RepositoryDamagedException write = assertThrows(RepositoryDamagedException.class, store::beginWrite);
                assertEquals(read.reason(), write.reason());
            }
        }
        assertArrayEquals(before, Files.readAllBytes(file), "left as it was");
        assertFalse(Files.exists(Path.of(file + "-wal")));
        Map<String, String> damaged = data.damaged().all();
        assertEquals(1, damaged.size());
        assertTrue(damaged.containsKey(kind), damaged.toString());
    }

    @Test
    void aRepairedFileIsServedAgainAndLeavesTheDamagedList() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        Path file = data.fileOf("app");
        Files.createFile(file);
        try (SqliteStore store = data.store("app")) {
            assertThrows(RepositoryDamagedException.class, store::openSnapshot);
        }
        Files.delete(file);
        DataDirectoryTest.create(data, "app");
        assertTrue(DataDirectoryTest.mainOf(data, "app") != null);
        assertEquals(Map.of(), data.damaged().all());
    }

    @Test
    void aReadOfAnOlderVersionDoesNotMigrateItAWriteDoes() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        DataDirectoryTest.create(data, "old");
        Path file = data.fileOf("old");
        // version 1 as released: without the retired_at column and the checksum index of version 2,
        // and without the setting table of version 3 and the hook tables of version 4
        sql(file, "DROP TABLE outbox", "DROP TABLE hook_delivery", "DROP TABLE hook", "DROP TABLE setting", "DROP INDEX pack_by_checksum", "ALTER TABLE pack DROP COLUMN retired_at",
                "PRAGMA user_version = 1");
        byte[] before = Files.readAllBytes(file);
        try (SqliteStore store = data.store("old")) {
            assertThrows(OutdatedSchemaException.class, store::openSnapshot);
            assertArrayEquals(before, Files.readAllBytes(file));
            store.migrate();
            try (ReadSnapshot s = store.openSnapshot()) {
                assertEquals(1, s.packs().size());
            }
        }
        assertEquals(4, userVersion(file));
    }

    /** What lets a repack delete the packs it replaced once no snapshot from before it can read them. */
    @Test
    void aMarkTellsWhetherASnapshotFromBeforeItIsStillOpen() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            tx.commit();
        }
        ReadSnapshot before = store.openSnapshot();
        long mark = store.snapshotMark();
        assertTrue(store.snapshotOpenFrom(mark), "opened before the mark, still open");
        try (ReadSnapshot after = store.openSnapshot()) {
            before.close();
            assertFalse(store.snapshotOpenFrom(mark), "only one opened after the mark is open");
            assertTrue(store.snapshotOpenFrom(store.snapshotMark()));
        }
        assertFalse(store.snapshotOpenFrom(store.snapshotMark()));
        store.close();
    }

    @Test
    void theWalIsGivenBackAfterAStalledReaderEnds() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        Path wal = Path.of(store.file() + "-wal");
        byte[] chunk = new byte[1 << 20];
        try (WriteTransaction tx = store.beginWrite()) {
            tx.commit();
        }
        try (ReadSnapshot stalled = store.openSnapshot()) {
            stalled.packs(); // the read transaction begins: checkpoints cannot pass it
            for (int i = 0; i < 40; i++) {
                write(store, chunk);
            }
            assertTrue(Files.size(wal) > 2 * Wal.LIMIT_BYTES, "grew: " + Files.size(wal));
        }
        write(store, chunk);
        assertTrue(Files.size(wal) <= Wal.LIMIT_BYTES, "given back at the next write: " + Files.size(wal));
        store.close();
    }

    /** One write transaction storing {@code bytes} as a file of a pack (never committed as a pack: only space). */
    private static void write(SqliteStore store, byte[] bytes) throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            long id = tx.packRows.createFile("p" + System.nanoTime(), PackExt.PACK);
            tx.packRows.writeChunk(id, 0, bytes, bytes.length);
            tx.commit();
        }
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static int userVersion(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

}
