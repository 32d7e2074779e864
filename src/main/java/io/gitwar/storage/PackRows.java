package io.gitwar.storage;

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
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/** The SQL of packs, their files and the files' chunks. Every method runs under the connection's monitor. */
final class PackRows {

    private static final String LIST = """
            SELECT p.name, p.source, p.last_modified, p.object_count, p.delta_count, p.index_version,
                   p.checksum, f.id, f.ext, f.size, p.retired_at
            FROM pack p JOIN pack_file f ON f.pack = p.name
            WHERE p.retired_at IS NULL OR ?
            ORDER BY p.retired_at IS NOT NULL, p.last_modified DESC, p.name""";

    private final Db db;

    PackRows(Db db) {
        this.db = db;
    }

    /** The live packs, as JGit sees them (retired ones are not part of the repository any more). */
    List<SqlitePackDescription> listDescriptions(DfsRepositoryDescription repo) throws IOException {
        List<SqlitePackDescription> result = new ArrayList<>();
        forEachPackFile(false, (pack, ext, file) -> {
            SqlitePackDescription d = result.isEmpty() ? null : result.get(result.size() - 1);
            if (d == null || !d.getPackName().equals(pack.name)) {
                d = new SqlitePackDescription(repo, pack.name, pack.source);
                d.setLastModified(pack.lastModified);
                d.setObjectCount(pack.objectCount);
                d.setDeltaCount(pack.deltaCount);
                d.setIndexVersion(pack.indexVersion);
                result.add(d);
            }
            d.addFileExt(ext);
            d.setFileSize(ext, file.size());
            d.setBlockSize(ext, Chunks.SIZE);
            d.setFileId(ext, file.id());
        });
        return result;
    }

    /** Live packs newest first, then (if asked for) retired ones. */
    List<StoredPack> listStoredPacks(boolean includeRetired) throws IOException {
        Map<String, PackRow> packs = new LinkedHashMap<>();
        Map<String, Map<PackExt, StoredFile>> files = new LinkedHashMap<>();
        forEachPackFile(includeRetired, (pack, ext, file) -> {
            packs.putIfAbsent(pack.name, pack);
            files.computeIfAbsent(pack.name, n -> new EnumMap<>(PackExt.class)).put(ext, file);
        });
        List<StoredPack> result = new ArrayList<>(packs.size());
        for (PackRow p : packs.values()) {
            result.add(new StoredPack(p.name, p.checksum, p.source.name(),
                    Instant.ofEpochMilli(p.lastModified), p.objectCount, Map.copyOf(files.get(p.name)), p.retired));
        }
        return result;
    }

    long countPacks() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM pack").executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw Db.io("cannot count packs", e);
            }
        }
    }

    /** Starts a new, empty file of a pack; replaces a file of that name written earlier in this transaction. */
    long createFile(String pack, PackExt ext) throws IOException {
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

    void writeChunk(long fileId, long sequence, byte[] data, int length) throws IOException {
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

    void replaceChunk(long fileId, long sequence, byte[] data) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE chunk SET data = ? WHERE id = ?");
                ps.setBytes(1, data);
                ps.setLong(2, Chunks.rowId(fileId, sequence));
                if (ps.executeUpdate() != 1) {
                    throw new IOException("chunk " + sequence + " of file " + fileId + " is missing");
                }
            } catch (SQLException e) {
                throw Db.io("cannot rewrite chunk " + sequence + " of file " + fileId, e);
            }
        }
    }

    void setFileSize(long fileId, long size) throws IOException {
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
    byte[] readChunk(long fileId, long sequence) throws IOException {
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

    /** Makes a fully written pack visible to sessions that start after the commit. */
    void insertPack(SqlitePackDescription d, String checksum) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("""
                        INSERT INTO pack (name, source, last_modified, object_count, delta_count,
                                          index_version, checksum)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""");
                ps.setString(1, d.getPackName());
                ps.setString(2, d.getPackSource().name());
                ps.setLong(3, d.getLastModified());
                ps.setLong(4, d.getObjectCount());
                ps.setLong(5, d.getDeltaCount());
                ps.setInt(6, d.getIndexVersion());
                ps.setString(7, checksum);
                ps.executeUpdate();
                for (Map.Entry<PackExt, Long> f : d.fileIds().entrySet()) {
                    setFileSize(f.getValue(), d.getFileSize(f.getKey()));
                }
            } catch (SQLException e) {
                throw Db.io("cannot commit pack " + d.getPackName(), e);
            }
        }
    }

    /** Removes a pack, its files and their chunks (committed or not). */
    void deletePack(String pack) throws IOException {
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

    /** Marks a pack replaced by a compaction: invisible to JGit from this transaction on. */
    void retirePack(String pack, long now) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE pack SET retired_at = ? WHERE name = ? AND retired_at IS NULL");
                ps.setLong(1, now);
                ps.setString(2, pack);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot retire pack " + pack, e);
            }
        }
    }

    /** Deletes the packs retired before {@code cutoff} (epoch millis); returns how many. */
    int deleteRetiredBefore(long cutoff) throws IOException {
        List<String> names = new ArrayList<>();
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT name FROM pack WHERE retired_at < ?");
                ps.setLong(1, cutoff);
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

    private void forEachPackFile(boolean includeRetired, PackFileVisitor visitor) throws IOException {
        synchronized (db) {
            PreparedStatement list;
            try {
                list = db.prepare(LIST);
                list.setBoolean(1, includeRetired);
            } catch (SQLException e) {
                throw Db.io("cannot list packs", e);
            }
            try (ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    PackExt ext = extension(rs.getString(9));
                    if (ext == null) {
                        continue; // a file kind this JGit does not know; keep it, don't show it
                    }
                    rs.getLong(11);
                    boolean retired = !rs.wasNull();
                    PackRow pack = new PackRow(rs.getString(1), PackSource.valueOf(rs.getString(2)),
                            rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getInt(6), rs.getString(7), retired);
                    visitor.visit(pack, ext, new StoredFile(rs.getLong(8), rs.getLong(10)));
                }
            } catch (SQLException e) {
                throw Db.io("cannot list packs", e);
            }
        }
    }

    private static PackExt extension(String ext) {
        for (PackExt e : PackExt.values()) {
            if (e.getExtension().equals(ext)) {
                return e;
            }
        }
        return null;
    }

    private record PackRow(String name, PackSource source, long lastModified, long objectCount,
            long deltaCount, int indexVersion, String checksum, boolean retired) {
    }

    @FunctionalInterface
    private interface PackFileVisitor {
        void visit(PackRow pack, PackExt ext, StoredFile file) throws IOException;
    }
}
