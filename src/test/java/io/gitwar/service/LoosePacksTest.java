package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.JGitEnvironment;
import io.gitwar.storage.file.StoredPack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.PackParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small pushes received into the SQLite store as git sends them (thin packs, completed with their
 * bases), and which of them are loose-served.
 */
class LoosePacksTest {

    private static final PersonIdent WHO = new PersonIdent("A", "a@example.invalid", 1_700_000_000_000L, 0);

    @TempDir
    Path dir;

    private final InMemoryRepository client = new InMemoryRepository(new DfsRepositoryDescription("client"));

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @Test
    void smallPushesOfSmallObjectsAreLooseServedOthersListed() throws Exception {
        SqliteStore store = SqliteStore.at(dir.resolve("repo.sqlite"), "loose-" + System.nanoTime());
        byte[] big = new byte[(int) PackRoles.LOOSE_OBJECT_MAX + 1];
        new Random(1).nextBytes(big);
        byte[] bigEdited = big.clone();
        bigEdited[10] ^= 1;
        byte[] medium = new byte[300_000];
        new Random(2).nextBytes(medium);
        byte[] mediumEdited = medium.clone();
        mediumEdited[10] ^= 1;

        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        ObjectId c1 = commit(null, Map.of("small.txt", hello, "medium.bin", medium));
        String first = receive(store, c1, null);
        ObjectId c2 = commit(c1, Map.of("small.txt", hello, "medium.bin", medium, "big.bin", big));
        String largeObject = receive(store, c2, c1);
        ObjectId c3 = commit(c2, Map.of("small.txt", hello, "medium.bin", medium, "big.bin", bigEdited));
        String deltaOfALargeBase = receive(store, c3, c2);
        ObjectId c4 = commit(c3, Map.of("small.txt", hello, "medium.bin", mediumEdited, "big.bin", bigEdited));
        String deltaOfASmallBase = receive(store, c4, c3);

        LoosePacks loose = new LoosePacks();
        try (ReadSnapshot s = store.openSnapshot()) {
            List<StoredPack> packs = s.packs();
            assertEquals(4, packs.size(), packs.toString());
            for (String thin : List.of(deltaOfALargeBase, deltaOfASmallBase)) {
                long objects = packs.stream().filter(p -> p.name().equals(thin)).findFirst().orElseThrow().objectCount();
                assertTrue(objects > 3, objects + ": commit, tree, blob, and the bases that completed the thin pack");
            }
            assertEquals(Set.of(first, deltaOfASmallBase), loose.of(s, packs, 100), "not " + largeObject);
            assertEquals(Set.of(), loose.of(s, packs, 3), "no small push under an unpack limit of 3");
            assertEquals(Set.of(first, deltaOfASmallBase), loose.of(s, packs, 100), "remembered");
        }
        store.close();
    }

    /** A commit whose tree holds {@code files}. */
    private ObjectId commit(ObjectId parent, Map<String, byte[]> files) throws Exception {
        try (ObjectInserter ins = client.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                tree.append(f.getKey(), FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, f.getValue()));
            }
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(tree));
            c.setAuthor(WHO);
            c.setCommitter(WHO);
            c.setMessage("commit\n");
            if (parent != null) {
                c.setParentId(parent);
            }
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /** Receives {@code tip} as git pushes it (a thin pack against {@code have}); the new pack's name. */
    private String receive(SqliteStore store, ObjectId tip, ObjectId have) throws Exception {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        try (PackWriter pw = new PackWriter(new PackConfig(client), client.newObjectReader())) {
            pw.setThin(true);
            pw.preparePack(NullProgressMonitor.INSTANCE, Set.of(tip), have == null ? PackWriter.NONE : Set.of(have));
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, pack);
        }
        Set<String> before;
        try (ReadSnapshot s = store.openSnapshot()) {
            before = s.packs().stream().map(StoredPack::name).collect(Collectors.toSet());
        } catch (io.gitwar.storage.RepositoryMissingException none) {
            before = Set.of();
        }
        try (WriteTransaction tx = store.beginWrite()) {
            try (ObjectInserter ins = tx.repository().newObjectInserter()) {
                PackParser parser = ins.newPackParser(new ByteArrayInputStream(pack.toByteArray()));
                parser.setAllowThin(true);
                parser.parse(NullProgressMonitor.INSTANCE);
                ins.flush();
            }
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            Set<String> seen = before;
            return s.packs().stream().map(StoredPack::name).filter(n -> !seen.contains(n)).findFirst().orElseThrow();
        }
    }
}
