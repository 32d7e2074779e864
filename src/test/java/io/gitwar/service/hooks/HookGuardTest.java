package io.gitwar.service.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where hooks may point: the decision table, with names resolved by a fixed table (no DNS). */
class HookGuardTest {

    /** Names and what they resolve to; anything else does not resolve. */
    private static final Map<String, String> DNS = Map.of(
            "ci.example", "203.0.113.7",
            "metadata.internal", "169.254.169.254",
            "sneaky.example", "127.0.0.2",
            "localhost", "127.0.0.1",
            "v6.example", "2001:db8::1",
            "v6-local.example", "fe80::1");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.getOrDefault(host, host.matches("[0-9.]+|.*:.*") ? host : null);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)}; // a literal: no lookup
    }

    @ParameterizedTest(name = "{0} with allowed [{1}]: {2}")
    @CsvSource(delimiter = '|', value = {
        // url                                   | allowed                | allowed? | reason contains
        "http://ci.example/hook                  |                        | yes      |",
        "https://ci.example:8443/hook?x=1        |                        | yes      |",
        "http://203.0.113.7/                     |                        | yes      |",
        "http://[2001:db8::1]/                   |                        | yes      |",
        "http://v6.example/                      |                        | yes      |",
        "http://10.1.2.3/                        |                        | yes      |",
        "ftp://ci.example/                       |                        | no       | http or https",
        "file:///etc/passwd                      |                        | no       | http or https",
        "/relative                               |                        | no       | relative",
        "http:///nohost                          |                        | no       | no host",
        "http://nowhere.invalid/                 |                        | no       | cannot resolve",
        "http://127.0.0.1:8080/                  |                        | no       | loopback",
        "http://localhost/                       |                        | no       | loopback",
        "http://sneaky.example/                  |                        | no       | resolves to 127.0.0.2",
        "http://[::1]/                           |                        | no       | loopback",
        "http://169.254.169.254/latest/meta-data |                        | no       | link-local",
        "http://metadata.internal/               |                        | no       | link-local",
        "http://v6-local.example/                |                        | no       | link-local",
        "http://0.0.0.0/                         |                        | no       | unspecified",
        "http://0.1.2.3/                         |                        | no       | unspecified",
        "http://[::]/                            |                        | no       | unspecified",
        "http://224.0.0.1/                       |                        | no       | multicast",
        "http://127.0.0.1:8080/                  | 127.0.0.1              | yes      |",
        "http://127.0.0.5/                       | 127.0.0.1              | no       | loopback",
        "http://127.0.0.5/                       | 127.0.0.0/8            | yes      |",
        "http://localhost/                       | localhost              | yes      |",
        "http://sneaky.example/                  | 127.0.0.1              | no       | loopback",
        "http://sneaky.example/                  | sneaky.example         | yes      |",
        "http://[::1]/                           | ::1                    | yes      |",
        "http://169.254.169.254/                 | 169.254.0.0/16         | yes      |",
        "http://169.254.169.254/                 | 169.254.0.0/17         | no       | link-local",
    })
    void decides(String url, String allowed, String verdict, String reason) {
        HookGuard guard = new HookGuard(allowed == null ? List.of() : List.of(allowed.split(",")), HookGuardTest::resolve);
        String refusal = guard.refusal(url);
        if (verdict.equals("yes")) {
            assertNull(refusal, url);
        } else {
            assertTrue(refusal != null && refusal.contains(reason), url + ": " + refusal);
        }
    }

    @ParameterizedTest
    @CsvSource({"2048, yes", "2049, no"})
    void urlsAreBounded(int length, String verdict) {
        String base = "http://ci.example/";
        String url = base + "a".repeat(length - base.length());
        assertEquals(verdict.equals("yes"), new HookGuard(List.of(), HookGuardTest::resolve).refusal(url) == null);
    }
}
