package io.gitwar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layering of {@code src/main}, read from the sources: which package may use what, that
 * packages stay small, and that gitwar's packages depend on each other without cycles. A name used
 * fully qualified in code counts like an import; comments do not count.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A qualified name in code: {@code jakarta.servlet.http.HttpServletRequest}, {@code io.gitwar.storage.X}. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:java|javax|jakarta|org|io)\\.[a-z][\\w]*(?:\\.[a-z][\\w]*)*)\\.[A-Z*]");
    private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    /** Package to the packages its code names (imports and qualified names). */
    private static final Map<String, Set<String>> USES = new TreeMap<>();
    private static final Map<String, Integer> FILES = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(p);
                Matcher pkg = PACKAGE.matcher(source);
                assertTrue(pkg.find(), "no package in " + p);
                String name = pkg.group(1);
                FILES.merge(name, 1, Integer::sum);
                Set<String> uses = USES.computeIfAbsent(name, n -> new TreeSet<>());
                Matcher q = QUALIFIED.matcher(COMMENTS.matcher(source).replaceAll(""));
                while (q.find()) {
                    if (!q.group(1).equals(name)) {
                        uses.add(q.group(1));
                    }
                }
            }
        }
    }

    @Test
    void noPackageHoldsMoreThanTwentyFiles() {
        FILES.forEach((pkg, n) -> assertTrue(n <= 20, pkg + " holds " + n + " files"));
    }

    /** Each row: the packages it is about (a prefix), and a prefix of what they must not use. */
    @ParameterizedTest
    @CsvSource({
        // Infinispan only in the cluster package (loaded in cluster mode only)
        "io.gitwar.http,     org.infinispan",
        "io.gitwar.api,      org.infinispan",
        "io.gitwar.storage,  org.infinispan",
        "io.gitwar.config,   org.infinispan",
        // the wire formats are a leaf: the JDK, JGit and the named failures only
        "io.gitwar.protocol, jakarta.",
        "io.gitwar.protocol, io.gitwar.service",
        "io.gitwar.protocol, io.gitwar.storage",
        "io.gitwar.protocol, io.gitwar.http",
        "io.gitwar.protocol, io.gitwar.config",
        "io.gitwar.protocol, java.sql",
        "io.gitwar.failure,  io.gitwar.",
        "io.gitwar.failure,  org.",
        "io.gitwar.failure,  jakarta.",
        "io.gitwar.config,   io.gitwar.",
        // storage knows SQL and JGit, not HTTP, CDI, JTA or what is above it
        "io.gitwar.storage,  jakarta.",
        "io.gitwar.storage,  io.gitwar.service",
        "io.gitwar.storage,  io.gitwar.http",
        "io.gitwar.storage,  io.gitwar.protocol",
        "io.gitwar.storage,  io.gitwar.config",
        // nothing above storage speaks SQL; the service never speaks servlets
        "io.gitwar.service,  java.sql",
        "io.gitwar.service,  jakarta.servlet",
        "io.gitwar.service,  io.gitwar.http",
        "io.gitwar.http,     java.sql",
        "io.gitwar.http,     io.gitwar.storage",
        "io.gitwar.config,   java.sql",
        // the service tells what happened through its events; it never knows who listens
        "io.gitwar.service,  io.gitwar.health",
        "io.gitwar.service,  io.gitwar.metrics",
        "io.gitwar.service.event, jakarta.",
        "io.gitwar.service.event, io.gitwar.storage",
        "io.gitwar.storage,  io.gitwar.health",
        "io.gitwar.storage,  io.gitwar.metrics",
        // health checks and metrics sit between the HTTP layer and the service: no servlets, no SQL
        "io.gitwar.health,   jakarta.servlet",
        "io.gitwar.health,   io.gitwar.http",
        "io.gitwar.health,   java.sql",
        "io.gitwar.health,   io.gitwar.metrics",
        "io.gitwar.metrics,  jakarta.servlet",
        "io.gitwar.metrics,  io.gitwar.http",
        "io.gitwar.metrics,  java.sql",
        "io.gitwar.metrics,  io.gitwar.storage.file",
        "io.gitwar.metrics,  io.gitwar.health",
        // the API is a peer of http: Jakarta REST over the service layer, nothing below it
        "io.gitwar.api,      io.gitwar.storage",
        "io.gitwar.api,      java.sql",
        "io.gitwar.api,      jakarta.servlet",
        "io.gitwar.http,     io.gitwar.api",
        "io.gitwar.http,     jakarta.ws",
        "io.gitwar.service,  io.gitwar.api",
        "io.gitwar.service,  jakarta.ws",
        // the public events are the extension point: JDK types only, so observers need nothing else of gitwar
        "io.gitwar.event,    io.gitwar.",
        "io.gitwar.event,    jakarta.",
        "io.gitwar.event,    org.",
    })
    void layersUseOnlyWhatIsBelowThem(String packages, String forbidden) {
        List<String> violations = new ArrayList<>();
        USES.forEach((pkg, uses) -> {
            if (pkg.equals(packages) || pkg.startsWith(packages + ".")) {
                uses.stream().filter(u -> u.equals(forbidden) || u.startsWith(forbidden))
                        .forEach(u -> violations.add(pkg + " uses " + u));
            }
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void gitwarsPackagesDependOnEachOtherWithoutCycles() {
        Map<String, Set<String>> graph = new HashMap<>();
        USES.forEach((pkg, uses) -> graph.put(pkg, uses.stream()
                .filter(u -> u.startsWith("io.gitwar.") && USES.containsKey(u)).collect(Collectors.toSet())));
        Set<String> done = new HashSet<>();
        for (String pkg : graph.keySet()) {
            List<String> path = new ArrayList<>();
            assertTrue(acyclic(pkg, graph, done, path), "cycle: " + path);
        }
    }

    private static boolean acyclic(String pkg, Map<String, Set<String>> graph, Set<String> done, List<String> path) {
        if (done.contains(pkg)) {
            return true;
        }
        if (path.contains(pkg)) {
            path.add(pkg);
            return false;
        }
        path.add(pkg);
        for (String next : graph.get(pkg)) {
            if (!acyclic(next, graph, done, path)) {
                return false;
            }
        }
        path.remove(path.size() - 1);
        done.add(pkg);
        return true;
    }
}
