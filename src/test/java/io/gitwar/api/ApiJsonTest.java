package io.gitwar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.Jsonb;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The API's JSON as the servers' JSON-B writes and reads it, and its token comparison. */
class ApiJsonTest {

    private final Jsonb jsonb = new JsonConfig().getContext(Object.class);

    @Test
    void keysAreSnakeCaseAndNullsAreWritten() {
        String json = jsonb.toJson(new Json.Details("team/app", "main", 10, 2, Instant.parse("2026-12-01T10:00:00Z"),
                false, null, 1, 3, 4096, null, null, null));
        assertEquals("{\"default_branch\":\"main\",\"file_bytes\":4096,\"head\":null,"
                + "\"last_push_at\":\"2026-12-01T10:00:00Z\",\"name\":\"team/app\",\"objects\":3,\"owner\":null,\"packs\":1,"
                + "\"read_only\":false,\"refs\":2,\"replicas\":null,\"size_bytes\":10,\"stale\":null}", json);
    }

    @Test
    void aChangeReadsOnlyTheKeysGiven() {
        Json.Changes c = jsonb.fromJson("{\"read_only\": true, \"unknown\": 1}", Json.Changes.class);
        assertEquals(Boolean.TRUE, c.readOnly());
        assertNull(c.defaultBranch());
        assertNull(c.name());
    }
}
