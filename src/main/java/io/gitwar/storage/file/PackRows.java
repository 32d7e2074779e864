package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/**
 * The SQL of packs, their files and the files' chunks. Every method runs under the connection's
 * monitor (JGit's helper threads may call in while the owner reads).
 */
public final class PackRows {

    private static final String COLUMNS = """
            SELECT p.name, p.source, p.last_modified, p.object_count, p.delta_count, p.index_version,
                   p.checksum, p.retired_at, f.id, f.ext, f.size
            FROM pack p JOIN pack_file f ON f.pack = p.name""";

    private static final String LIST = COLUMNS + """

            WHERE p.retired_at IS NULL OR ?
            ORDER BY p.retired_at IS NOT NULL, p.last_modified DESC, p.name""";

    private static final String BY_CHECKSUM = COLUMNS + """

            WHERE p.checksum = ?
            ORDER BY p.retired_at IS NOT NULL, p.last_modified DESC, p.name""";

    private final Db db;
    /** Why the transaction was ended from outside, or null; set from any thread ({@link #abandon}). */
    private volatile String abandoned;

    public PackRows(Db db) {
        this.db = db;
    }

    /**
     * Marks these rows dead: from now on creating, writing and reading pack files through them fails
     * with {@link WriteAbandoned}, so the thread working on them stops at its next block. Safe from
     * any thread; touches no connection (only the owning thread may).
     */
    public void abandon(String reason) {
        abandoned = reason;
    }

    /** Why these rows were {@linkplain #abandon abandoned}, or null. */
    public String abandonedReason() {
        return abandoned;
    }

    private void requireAlive() throws WriteAbandoned {
        String reason = abandoned;
        if (reason != null) {
            throw new WriteAbandoned(reason);
        }
    }

    /** Live packs newest first, then (if asked for) those a repack retired. */
    public List<StoredPack> list(boolean includeRetired) throws IOException {
        return packs(LIST, ps -> ps.setBoolean(1, includeRetired), "cannot list packs");
    }

    /**
     * The packs whose bytes have this checksum, live or retired, through the {@code pack_by_checksum}
     * index. Usually one; the same bytes stored twice give two packs with identical files.
     */
    public List<StoredPack> findByChecksum(String checksum) throws IOException {
        return packs(BY_CHECKSUM, ps -> ps.setString(1, checksum), "cannot look up pack " + checksum);
    }

    /** Starts a new, empty file of a pack; replaces a file of that name written earlier in this transaction. */
    public long createFile(String pack, PackExt ext) throws IOException {
        requireAlive();
        synchronized (db) {
            try {
                deleteFile(pack, ext);
                PreparedStatement ps = db.prepare("INSERT INTO pack_file (pack, ext, size) VALUES (?, ?, 0)");
                ps.setString(1, pack);
                ps.setString(2, ext.getExtension());
                ps.executeUpdate();
                try (ResultSet rs = db.prepare("SELECT last_insert_rowid()").executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw Db.io("cannot create " + pack + "." + ext.getExtension(), e);
            }
        }
    }

    public void writeChunk(long fileId, long sequence, byte[] data, int length) throws IOException {
        requireAlive();
        byte[] bytes = length == data.length ? data : Arrays.copyOf(data, length);
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("INSERT INTO chunk (id, data) VALUES (?, ?)");
                ps.setLong(1, Chunks.rowId(fileId, sequence));
                ps.setBytes(2, bytes);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot write chunk " + sequence + " of file " + fileId, e);
            }
        }
    }

    public void replaceChunk(long fileId, long sequence, byte[] data) throws IOException {
        requireAlive();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE chunk SET data = ? WHERE id = ?");
                ps.setBytes(1, data);
                ps.setLong(2, Chunks.rowId(fileId, sequence));
                if (ps.executeUpdate() != 1) {
                    throw new StorageFailure("chunk " + sequence + " of file " + fileId + " is missing");
                }
            } catch (SQLException e) {
                throw Db.io("cannot rewrite chunk " + sequence + " of file " + fileId, e);
            }
        }
    }

    public void setFileSize(long fileId, long size) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE pack_file SET size = ? WHERE id = ?");
                ps.setLong(1, size);
                ps.setLong(2, fileId);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot record the size of file " + fileId, e);
            }
        }
    }

    /** The chunk's bytes, or null when the file has no such chunk. */
    public byte[] readChunk(long fileId, long sequence) throws IOException {
        requireAlive();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT data FROM chunk WHERE id = ?");
                ps.setLong(1, Chunks.rowId(fileId, sequence));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            } catch (SQLException e) {
                throw Db.io("cannot read chunk " + sequence + " of file " + fileId, e);
            }
        }
    }

    /**
     * Makes a fully written pack visible to transactions that start after the commit. Its files
     * were written with {@link #createFile}; their sizes are recorded as {@code pack} gives them.
     */
    public void insertPack(StoredPack pack) throws IOException {
        requireAlive();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("""
                        INSERT INTO pack (name, source, last_modified, object_count, delta_count,
                                          index_version, checksum)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""");
                ps.setString(1, pack.name());
                ps.setString(2, pack.source().name());
                ps.setLong(3, pack.lastModified().toEpochMilli());
                ps.setLong(4, pack.objectCount());
                ps.setLong(5, pack.deltaCount());
                ps.setInt(6, pack.indexVersion());
                ps.setString(7, pack.checksum());
                ps.executeUpdate();
                for (StoredFile f : pack.files().values()) {
                    setFileSize(f.id(), f.size());
                }
            } catch (SQLException e) {
                throw Db.io("cannot commit pack " + pack.name(), e);
            }
        }
    }

    /** Removes a pack, its files and their chunks (committed or not). */
    public void deletePack(String pack) throws IOException {
        synchronized (db) {
            try {
                for (PackExt ext : PackExt.values()) {
                    deleteFile(pack, ext);
                }
                PreparedStatement ps = db.prepare("DELETE FROM pack WHERE name = ?");
                ps.setString(1, pack);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot delete pack " + pack, e);
            }
        }
    }

    private void deleteFile(String pack, PackExt ext) throws SQLException {
        PreparedStatement find = db.prepare("SELECT id FROM pack_file WHERE pack = ? AND ext = ?");
        find.setString(1, pack);
        find.setString(2, ext.getExtension());
        Long id = null;
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                id = rs.getLong(1);
            }
        }
        if (id == null) {
            return;
        }
        PreparedStatement chunks = db.prepare("DELETE FROM chunk WHERE id BETWEEN ? AND ?");
        chunks.setLong(1, Chunks.firstRowId(id));
        chunks.setLong(2, Chunks.lastPossibleRowId(id));
        chunks.executeUpdate();
        PreparedStatement file = db.prepare("DELETE FROM pack_file WHERE id = ?");
        file.setLong(1, id);
        file.executeUpdate();
    }

    /** Records where a pack's objects come from now (a pushed pack that got what a repack writes). */
    public void setSource(String pack, PackSource source) throws IOException {
        requireAlive();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE pack SET source = ? WHERE name = ?");
                ps.setString(1, source.name());
                ps.setString(2, pack);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot record the source of pack " + pack, e);
            }
        }
    }

    /** Marks a pack replaced by a repack: invisible to JGit from this transaction on. */
    public void retirePack(String pack, Instant now) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE pack SET retired_at = ? WHERE name = ? AND retired_at IS NULL");
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, pack);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot retire pack " + pack, e);
            }
        }
    }

    /** Deletes a pack if a repack retired it (never a live one); returns whether it did. */
    public boolean deleteRetired(String pack) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT count(*) FROM pack WHERE name = ? AND retired_at IS NOT NULL");
                ps.setString(1, pack);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) == 0) {
                        return false;
                    }
                }
            } catch (SQLException e) {
                throw Db.io("cannot look up retired pack " + pack, e);
            }
            deletePack(pack);
            return true;
        }
    }

    /** Deletes the packs retired before {@code cutoff}; returns how many. */
    public int deleteRetiredBefore(Instant cutoff) throws IOException {
        List<String> names = new ArrayList<>();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT name FROM pack WHERE retired_at < ?");
                ps.setLong(1, cutoff.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw Db.io("cannot list retired packs", e);
            }
        }
        for (String name : names) {
            deletePack(name);
        }
        return names.size();
    }

    /** Sets a query's parameters. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    /** One StoredPack per pack of the query's rows (one row per file, a pack's rows adjacent). */
    private List<StoredPack> packs(String sql, Parameters parameters, String failure) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare(sql);
                parameters.set(ps);
                return packs(ps);
            } catch (SQLException e) {
                throw Db.io(failure, e);
            }
        }
    }

    private static List<StoredPack> packs(PreparedStatement query) throws SQLException {
        Map<String, StoredPack> packs = new LinkedHashMap<>();
        Map<String, Map<PackExt, StoredFile>> files = new LinkedHashMap<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                PackExt ext = extension(rs.getString(10));
                if (ext == null) {
                    continue; // a file kind this JGit does not know; keep it, don't show it
                }
                String name = rs.getString(1);
                if (!packs.containsKey(name)) {
                    long retiredAt = rs.getLong(8);
                    Instant retired = rs.wasNull() ? null : Instant.ofEpochMilli(retiredAt);
                    packs.put(name, new StoredPack(name, PackSource.valueOf(rs.getString(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), rs.getLong(5), rs.getInt(6),
                            rs.getString(7), retired, Map.of()));
                }
                files.computeIfAbsent(name, n -> new EnumMap<>(PackExt.class))
                        .put(ext, new StoredFile(rs.getLong(9), rs.getLong(11)));
            }
        }
        List<StoredPack> result = new ArrayList<>(packs.size());
        for (StoredPack p : packs.values()) {
            result.add(new StoredPack(p.name(), p.source(), p.lastModified(), p.objectCount(), p.deltaCount(),
                    p.indexVersion(), p.checksum(), p.retiredAt(), files.get(p.name())));
        }
        return result;
    }

    private static PackExt extension(String ext) {
        for (PackExt e : PackExt.values()) {
            if (e.getExtension().equals(ext)) {
                return e;
            }
        }
        return null;
    }
}
