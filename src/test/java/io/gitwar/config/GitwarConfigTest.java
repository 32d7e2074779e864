package io.gitwar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitwarConfigTest {

    @ParameterizedTest
    @CsvSource({"smart, SMART", "dumb, DUMB", "' DUMB ', DUMB", "Smart, SMART"})
    void readProtocols(String value, GitwarConfig.ReadProtocol expected) {
        assertEquals(expected, GitwarConfig.readProtocol(value));
    }

    @Test
    void anUnknownReadProtocolFailsTheStartWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GitwarConfig.readProtocol("http"));
        assertTrue(e.getMessage().contains("gitwar.read-protocol"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*                                                | *",
        "''                                               | *",
        "https://a.example.com, *                         | *",
        "https://A.example.com/                           | https://a.example.com",
        "https://a.example.com , http://127.0.0.1:8000    | https://a.example.com;http://127.0.0.1:8000",
        "https://a.example.com,https://a.example.com      | https://a.example.com",
    })
    void origins(String configured, String expected) {
        assertEquals(List.of(expected.split(";")), GitwarConfig.origins(List.of(configured.split(","))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.example.com", "https://a.example.com/path", "null", "https://"})
    void somethingThatIsNoOriginFailsTheStart(String configured) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GitwarConfig.origins(List.of(configured)));
        assertTrue(e.getMessage().contains("gitwar.cors.allowed-origins"), e.getMessage());
    }

    @Test
    void extraHeadersAreLowerCaseTokens() {
        assertEquals(List.of("x-request-id", "x-b"), GitwarConfig.headers(List.of(" X-Request-Id", "x-b", "", "x-b")));
        assertThrows(IllegalArgumentException.class, () -> GitwarConfig.headers(List.of("bad header")));
    }

    @Test
    void repackKeysThatWereRenamedStillWorkAndTheNewOnesWin() {
        RepackConfig old = GitwarConfig.from(new MapConfig(Map.of("gitwar.gc.auto-pack-limit", "7",
                "gitwar.gc.replaced-pack-grace-minutes", "0", "gitwar.gc.find-deltas", "true"))).repack();
        assertEquals(7, old.autoPackLimit());
        assertEquals(Duration.ZERO, old.replacedPackGrace());
        assertTrue(old.findDeltas());
        RepackConfig both = GitwarConfig.from(new MapConfig(Map.of("gitwar.gc.auto-pack-limit", "7",
                "gitwar.repack.auto-pack-limit", "9"))).repack();
        assertEquals(9, both.autoPackLimit());
        RepackConfig defaults = GitwarConfig.from(new MapConfig(Map.of())).repack();
        assertEquals(50, defaults.autoPackLimit(), "the default");
        assertEquals(Duration.ofMinutes(10), defaults.minInterval());
        assertEquals(100, defaults.replacedPackMaxPercent());
    }

    @ParameterizedTest
    @CsvSource({
        // heap MiB, wants and haves
        "256,   32768",
        "1024,  131072",
        "4096,  524288",
        "64,    32768",
    })
    void fetchBoundsFollowTheHeap(long heapMib, int lines) {
        FetchLimits f = FetchLimits.from(new Settings(new MapConfig(Map.of())), heapMib << 20);
        assertEquals(lines, f.maxWants());
        assertEquals(lines, f.maxHaves());
        assertEquals(50L * 2 * lines + (1 << 20), f.maxRequestBytes(), "room for every want and have allowed");
    }

    @Test
    void fetchBoundsCanBeSetAndTheByteBoundFollowsTheLineBounds() {
        FetchLimits f = FetchLimits.from(new Settings(new MapConfig(Map.of("gitwar.fetch.max-wants", "3",
                "gitwar.fetch.max-haves", "7"))), 256L << 20);
        assertEquals(3, f.maxWants());
        assertEquals(7, f.maxHaves());
        assertEquals(50L * 10 + (1 << 20), f.maxRequestBytes());
        assertEquals(5000, FetchLimits.from(new Settings(new MapConfig(Map.of("gitwar.fetch.max-request-bytes",
                "5000"))), 256L << 20).maxRequestBytes());
    }

    @Test
    void webPagesAreOnUnlessSwitchedOff() {
        assertEquals(true, GitwarConfig.from(new MapConfig(Map.of())).webPages());
        assertEquals(false, GitwarConfig.from(new MapConfig(Map.of(GitwarConfig.WEB_PAGES, "false"))).webPages());
    }

    @Test
    void objectsPerPushFollowTheHeapUnlessSet() {
        assertEquals(Runtime.getRuntime().maxMemory() / 4 / Limits.HEAP_PER_OBJECT,
                GitwarConfig.from(new MapConfig(Map.of())).limits().maxObjects());
        assertEquals(50, GitwarConfig.from(new MapConfig(Map.of("gitwar.max-objects-per-push", "50")))
                .limits().maxObjects());
    }

    @Test
    void refsPerRepositoryAndTheDeltaBudgetFollowTheHeapUnlessSet() {
        Limits defaults = GitwarConfig.from(new MapConfig(Map.of())).limits();
        long heap = Runtime.getRuntime().maxMemory();
        assertEquals(heap / 4 / Limits.HEAP_PER_REF, defaults.maxRefs());
        assertEquals(Math.max(256L << 20, (heap >> 21) << 20), defaults.deltaBudgetFloorBytes());
        assertEquals(100, defaults.deltaBudgetRatio());
        Limits set = GitwarConfig.from(new MapConfig(Map.of("gitwar.max-refs-per-repository", "7",
                "gitwar.delta-budget-floor-mib", "3", "gitwar.delta-budget-ratio", "2"))).limits();
        assertEquals(7, set.maxRefs());
        assertEquals(3L << 20, set.deltaBudgetFloorBytes());
        assertEquals(2, set.deltaBudgetRatio());
    }

    @Test
    void fetchCapsDefaultToHalfTheWorkersAndHalfOfThatPerRepository() {
        ClientLimits defaults = GitwarConfig.from(new MapConfig(Map.of())).clients();
        assertEquals(64, defaults.maxConcurrentFetches());
        assertEquals(32, defaults.maxConcurrentFetchesPerRepository());
        ClientLimits total = GitwarConfig.from(new MapConfig(Map.of("gitwar.max-concurrent-fetches", "8"))).clients();
        assertEquals(4, total.maxConcurrentFetchesPerRepository()); // follows the total unless set
        ClientLimits both = GitwarConfig.from(new MapConfig(Map.of("gitwar.max-concurrent-fetches", "2",
                "gitwar.max-concurrent-fetches-per-repository", "1"))).clients();
        assertEquals(2, both.maxConcurrentFetches());
        assertEquals(1, both.maxConcurrentFetchesPerRepository());
        assertEquals(1, GitwarConfig.from(new MapConfig(Map.of("gitwar.max-concurrent-fetches", "1"))).clients()
                .maxConcurrentFetchesPerRepository());
    }

    @ParameterizedTest
    @CsvSource({"gitwar.max-concurrent-fetches, 0", "gitwar.max-concurrent-fetches-per-repository, 0",
        "gitwar.max-concurrent-fetches-per-repository, -1"})
    void aFetchCapBelowOneFailsTheStartWithTheKeyNamed(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GitwarConfig.from(new MapConfig(Map.of(key, value))));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void theAdminTokenIsComparedWholeAndNeverPrinted() {
        assertTrue(GitwarConfig.from(new MapConfig(Map.of())).admin().token().isEmpty());
        assertTrue(GitwarConfig.from(new MapConfig(Map.of(AdminToken.KEY, "  "))).admin().token().isEmpty());
        GitwarConfig config = GitwarConfig.from(new MapConfig(Map.of(AdminToken.KEY, "s3cret-token")));
        AdminToken token = config.admin().token().orElseThrow();
        assertTrue(token.matches("s3cret-token"));
        for (String wrong : new String[] {"s3cret-toke", "s3cret-token2", "S3CRET-TOKEN", "", "s3cret-token "}) {
            assertFalse(token.matches(wrong), wrong);
        }
        assertFalse(token.matches(null));
        assertFalse(config.toString().contains("s3cret"), config.toString());
    }

    @Test
    void metricsArePublicAndReadinessAllowsHalfTheWorkersWaitingOnWritesByDefault() {
        Monitoring defaults = GitwarConfig.from(new MapConfig(Map.of())).monitoring();
        assertFalse(defaults.metricsRequireToken());
        assertEquals(64, defaults.maxWaitingWrites());
        Monitoring set = GitwarConfig.from(new MapConfig(Map.of("gitwar.metrics.require-token", "true",
                "gitwar.health.max-waiting-writes", "3"))).monitoring();
        assertTrue(set.metricsRequireToken());
        assertEquals(3, set.maxWaitingWrites());
    }

    @Test
    void hooksHaveSafeDefaultsAndBounds() {
        HooksConfig d = GitwarConfig.from(new MapConfig(Map.of())).hooks();
        assertEquals(List.of(), d.allowedHosts());
        assertEquals(java.time.Duration.ofSeconds(10), d.timeout());
        assertEquals(8, d.maxAttempts());
        assertEquals(java.time.Duration.ofSeconds(10), d.backoff(1));
        assertEquals(java.time.Duration.ofSeconds(20), d.backoff(2));
        assertEquals(java.time.Duration.ofSeconds(1280), d.backoff(8));
        assertEquals(20, d.maxHooksPerRepository());
        assertEquals(java.util.Optional.empty(), d.baseUrl());
        HooksConfig set = GitwarConfig.from(new MapConfig(Map.of("gitwar.hooks.allowed-hosts", " 127.0.0.1 ,Hooks.Internal",
                "gitwar.hooks.base-url", "https://git.example.com/git"))).hooks();
        assertEquals(List.of("127.0.0.1", "hooks.internal"), set.allowedHosts());
        assertEquals("https://git.example.com/git/", set.baseUrl().orElseThrow());
        for (String[] bad : new String[][] {{"gitwar.hooks.timeout-seconds", "0"}, {"gitwar.hooks.max-attempts", "0"},
            {"gitwar.hooks.max-attempts", "21"}, {"gitwar.hooks.retry-seconds", "0"},
            {"gitwar.hooks.max-concurrent-deliveries", "0"}, {"gitwar.hooks.max-pending-per-repository", "0"}}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> GitwarConfig.from(new MapConfig(Map.of(bad[0], bad[1]))), bad[0] + "=" + bad[1]);
        }
    }
}
