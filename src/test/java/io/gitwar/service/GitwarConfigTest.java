package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
