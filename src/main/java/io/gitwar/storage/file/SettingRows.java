package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The SQL of a repository's own settings and facts (table {@code setting}, one row per key; a key
 * without a row has its default). Every method runs under the connection's monitor.
 */
public final class SettingRows {

    /** {@code true}: pushes are refused (an operator's per-repository switch). */
    private static final String READ_ONLY = "read_only";
    /** Epoch millis of the last push that moved a ref. */
    private static final String LAST_PUSH_AT = "last_push_at";
    private static final String GENERATION = "generation";
    /** A replicated repository's placement as its last push saw it (the cluster's, opaque here). */
    private static final String COPIES = "copies";

    private final Db db;

    public SettingRows(Db db) {
        this.db = db;
    }

    public boolean readOnly() throws IOException {
        return Boolean.parseBoolean(get(READ_ONLY));
    }

    public void setReadOnly(boolean readOnly) throws IOException {
        put(READ_ONLY, readOnly ? "true" : null);
    }

    /** When a push last moved a ref, or null if none did (or none since a fork). */
    public Instant lastPushAt() throws IOException {
        String v = get(LAST_PUSH_AT);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
    }

    public void setLastPushAt(Instant at) throws IOException {
        put(LAST_PUSH_AT, at == null ? null : Long.toString(at.toEpochMilli()));
    }

    /**
     * How many pushes that moved refs the repository has had since it came into being (a copy keeps
     * its source's count): two copies of one repository with the same generation hold the same refs.
     */
    public long generation() throws IOException {
        String v = get(GENERATION);
        return v == null ? 0 : Long.parseLong(v);
    }

    public void setGeneration(long generation) throws IOException {
        put(GENERATION, generation == 0 ? null : Long.toString(generation));
    }

    /** What the cluster recorded of this repository's copies with its last push, or null. */
    public String copies() throws IOException {
        return get(COPIES);
    }

    public void setCopies(String copies) throws IOException {
        put(COPIES, copies);
    }

    private String get(String key) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT value FROM setting WHERE key = ?");
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw Db.io("cannot read setting " + key, e);
            }
        }
    }

    /** Stores {@code value} under {@code key}; null removes the row (the default applies). */
    private void put(String key, String value) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps;
                if (value == null) {
                    ps = db.prepare("DELETE FROM setting WHERE key = ?");
                    ps.setString(1, key);
                } else {
                    ps = db.prepare("INSERT INTO setting (key, value) VALUES (?, ?)"
                            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
                    ps.setString(1, key);
                    ps.setString(2, value);
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot write setting " + key, e);
            }
        }
    }
}
