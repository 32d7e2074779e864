package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.storage.DataDirectory;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @CsvSource({
        "app,           app",
        "app.git,       app",
        "team/app.git,  team/app",
        "team/app,      team/app",
        "a.b-c_d,       a.b-c_d",
        "x/y/z.git,     x/y/z",
        "app.git.git,   app.git",
        "team.git/app,  team.git/app",
    })
    void acceptsAndNormalizes(String raw, String expected) {
        assertEquals(expected, RepositoryName.parse(raw).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/app", "app/", "a//b", ".", "..", "../etc", "a/../b", "a/./b", ".hidden",
        "a/.git", ".git", "-", "-/x", "-.git", "a b", "a%2e%2e", "a\\b", "a\0b", "é", "a:b", "C:/x", "a/~", "a?b"})
    void rejects(String raw) {
        assertThrows(InvalidRepositoryName.class, () -> RepositoryName.parse(raw));
    }

    @org.junit.jupiter.api.Test
    void rejectsNamesOverTwoHundredCharacters() {
        RepositoryName.parse("a".repeat(200));
        assertThrows(InvalidRepositoryName.class, () -> RepositoryName.parse("a".repeat(201)));
        assertThrows(InvalidRepositoryName.class, () -> RepositoryName.parse("a".repeat(201) + ".git"));
        // the limit is on the name, so a name of 200 is reachable with its .git suffix (a fuzz finding)
        assertEquals(RepositoryName.parse("a".repeat(200)), RepositoryName.parse("a".repeat(200) + ".git"));
    }

    @ParameterizedTest
    @CsvSource({
        "app,       app.git.sqlite",
        "team/app,  team.d/app.git.sqlite",
        "x/y/z,     x.d/y.d/z.git.sqlite",
        "a.b/c-d,   a.b.d/c-d.git.sqlite",
    })
    void databaseFileStaysInsideTheDataDirectory(String name, String path) {
        Path data = Path.of("/srv/gitwar");
        Path file = new DataDirectory(data).fileOf(RepositoryName.parse(name).value());
        assertTrue(file.startsWith(data));
        assertEquals(data.resolve(path), file);
    }
}
