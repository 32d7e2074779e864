package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 4: hooks, their log and the outbox in the repository file, migrated from version
 * 3; the outbox commits with the write or not at all; the log and the outbox stay bounded; the
 * global hooks' file is never taken for a repository.
 */
class HooksStorageTest {

    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aVersion3FileIsMigratedAndThenTakesHooksAndDeliveries() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        DataDirectoryTest.create(data, "old");
        Path file = data.fileOf("old");
        // version 3 as released: no hook, hook_delivery or outbox table
        sql(file, "DROP TABLE outbox", "DROP TABLE hook_delivery", "DROP TABLE hook", "PRAGMA user_version = 3");
        try (SqliteStore store = data.store("old")) {
            assertThrows(OutdatedSchemaException.class, store::openSnapshot);
            store.migrate();
            try (WriteTransaction tx = store.beginWrite()) {
                long id = tx.hooks().add("http://ci.example/hook", "s3cret", List.of("push"), true, T);
                tx.outbox().add("d-1", OutboxRows.Scope.REPOSITORY, id, "push", "{}", T);
                tx.commit();
            }
            try (ReadSnapshot s = store.openSnapshot()) {
                assertEquals(1, s.hooks().list().size());
                assertEquals("d-1", s.outbox().due(T, 10).get(0).deliveryId());
                assertEquals(T, s.outbox().nextDue());
            }
        }
    }

    @Test
    void theOutboxCommitsWithItsWriteOrNotAtAll() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            tx.outbox().add("kept", OutboxRows.Scope.GLOBAL, 1, "push", "{}", T);
            tx.commit();
        }
        try (WriteTransaction tx = store.beginWrite()) {
            tx.outbox().add("rolled-back", OutboxRows.Scope.GLOBAL, 1, "push", "{}", T);
            tx.rollback();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertEquals(List.of("kept"), s.outbox().due(T.plusSeconds(1), 10).stream()
                    .map(OutboxRows.Pending::deliveryId).toList());
        }
        store.close();
    }

    @Test
    void aRetryIsDueLaterAndRemovedDeliveriesAreGone() throws Exception {
        long bId;
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            tx.outbox().add("a", OutboxRows.Scope.REPOSITORY, 1, "push", "{}", T);
            tx.outbox().add("b", OutboxRows.Scope.REPOSITORY, 1, "push", "{}", T);
            long a = tx.outbox().due(T, 10).get(0).id();
            long b = tx.outbox().due(T, 10).get(1).id();
            tx.outbox().retryAt(a, 1, T.plusSeconds(10));
            tx.outbox().remove(b);
            tx.commit();
            bId = b;
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertEquals(List.of(), s.outbox().due(T.plusSeconds(9), 10));
            OutboxRows.Pending a = s.outbox().due(T.plusSeconds(10), 10).get(0);
            assertEquals(1, a.attempts());
            assertEquals(a, s.outbox().get(a.id()).orElseThrow(), "read again by id, as it is now");
            assertTrue(s.outbox().get(bId).isEmpty(), "a removed delivery is not owed any more");
            assertEquals(T.plusSeconds(10), s.outbox().nextDue());
        }
        try (WriteTransaction tx = store.beginWrite()) {
            tx.outbox().clear();
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertNull(s.outbox().nextDue());
        }
        store.close();
    }

    @Test
    void theOutboxIsTrimmedToItsBoundOldestFirst() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            for (int i = 0; i < 7; i++) {
                tx.outbox().add("d" + i, OutboxRows.Scope.REPOSITORY, 1, "push", "{}", T);
            }
            assertEquals(2, tx.outbox().trimTo(5));
            assertEquals(0, tx.outbox().trimTo(5));
            assertEquals(List.of("d2", "d3", "d4", "d5", "d6"), tx.outbox().due(T, 10).stream()
                    .map(OutboxRows.Pending::deliveryId).toList());
            tx.commit();
        }
        store.close();
    }

    @Test
    void theLogKeepsTheLastHundredAttemptsPerHookNewestFirst() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            long one = tx.hooks().add("http://a.example/", "", List.of("push"), true, T);
            long two = tx.hooks().add("http://b.example/", "", List.of("push"), true, T);
            for (int i = 1; i <= HookRows.KEPT_ATTEMPTS + 20; i++) {
                tx.hooks().log(attempt(one, "d" + i, 200));
            }
            tx.hooks().log(attempt(two, "other", null));
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            List<HookRows.Attempt> newest = s.hooks().attempts(1, 0, 1000);
            assertEquals(HookRows.KEPT_ATTEMPTS, newest.size());
            assertEquals("d120", newest.get(0).deliveryId());
            assertEquals("d21", newest.get(newest.size() - 1).deliveryId());
            List<HookRows.Attempt> page = s.hooks().attempts(1, newest.get(9).id(), 5);
            assertEquals("d110", page.get(0).deliveryId());
            HookRows.Attempt other = s.hooks().attempts(2, 0, 10).get(0);
            assertNull(other.status());
            assertEquals(other, s.hooks().attempt(2, other.id()).orElseThrow());
        }
        store.close();
    }

    @Test
    void aDeletedHooksIdIsNeverGivenToANewOne() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("r.git.sqlite"), "r");
        try (WriteTransaction tx = store.beginWrite()) {
            long first = tx.hooks().add("http://a.example/", "", List.of("push"), true, T);
            assertTrue(tx.hooks().delete(first));
            assertFalse(tx.hooks().delete(first));
            long second = tx.hooks().add("http://a.example/", "", List.of("push"), true, T);
            assertTrue(second > first);
            tx.commit();
        }
        store.close();
    }

    @Test
    void theGlobalHooksFileKeepsItsHooksAndIsNoRepository() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        DataDirectoryTest.create(data, "app");
        try (GlobalHooksFile global = new GlobalHooksFile(dir)) {
            global.run(rows -> rows.add("https://ci.example/hook", "x", List.of("push"), false, T));
        }
        try (GlobalHooksFile global = new GlobalHooksFile(dir)) {
            HookRows.Hook h = global.run(HookRows::list).get(0);
            assertEquals("https://ci.example/hook", h.url());
            assertFalse(h.active());
            assertFalse(h.wants("push"));
        }
        assertEquals(List.of("app"), data.names(null, null, 100));
        data.migrateOldLayout();
        assertEquals(List.of("app"), data.names(null, null, 100));
        assertEquals(0, data.damaged().all().size());
    }

    private static HookRows.Attempt attempt(long hook, String delivery, Integer status) {
        return new HookRows.Attempt(0, hook, delivery, "push", "r", 1, T, 5, "X: y\n", "{}", status, "ok", null);
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }
}
