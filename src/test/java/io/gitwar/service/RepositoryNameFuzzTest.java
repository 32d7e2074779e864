package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.storage.DataDirectory;
import java.nio.file.Path;

/**
 * Fuzzes repository name validation: anything parse accepts maps to a file inside the data
 * directory (directories {@code .d}, the file {@code .git.sqlite}), and only
 * {@link InvalidRepositoryName} escapes.
 */
class RepositoryNameFuzzTest {

    private static final Path DATA = Path.of("/srv/gitwar/data");

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/", ".", "..", ".git", "%2e", "\\\\", "\\x00", "~", "//"})
    void acceptedNamesStayInsideTheDataDirectory(String raw) {
        RepositoryName name;
        try {
            name = RepositoryName.parse(raw);
        } catch (InvalidRepositoryName e) {
            return;
        }
        String v = name.value();
        assertTrue(v.length() <= RepositoryName.MAX_LENGTH);
        assertFalse(v.startsWith("/") || v.endsWith("/") || v.contains("//"), v);
        for (String segment : v.split("/")) {
            assertFalse(segment.startsWith("."), v);
            assertTrue(segment.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "._-".indexOf(c) >= 0)), v);
        }
        Path file = new DataDirectory(DATA).fileOf(name.value());
        assertTrue(file.startsWith(DATA), file.toString());
        String[] segments = v.split("/");
        Path expected = DATA;
        for (int i = 0; i < segments.length - 1; i++) {
            expected = expected.resolve(segments[i] + ".d"); // a directory: ends in .d, never a file's ending
        }
        assertEquals(expected.resolve(segments[segments.length - 1] + ".git.sqlite"), file);
        assertEquals(name, RepositoryName.parse(v + ".git"));
    }
}
