package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which address a request counts against: the forwarded client's only when a node vouches for it. */
class ClusterForwardingTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        // peer,     X-Forwarded-For,        secret matched, counted as
        "10.0.0.2,   192.0.2.7,              true,           192.0.2.7",
        "10.0.0.2,   ' 192.0.2.7 ',          true,           192.0.2.7",
        "10.0.0.2,   '198.51.100.1, 192.0.2.7', true,        192.0.2.7",
        "10.0.0.2,   null,                   true,           10.0.0.2",
        "10.0.0.2,   '',                     true,           10.0.0.2",
        // a stranger's forwarding headers, with no or a wrong secret: ignored
        "203.0.113.9, 192.0.2.7,             false,          203.0.113.9",
        "203.0.113.9, null,                  false,          203.0.113.9",
    })
    void theClientIsTheForwardedOneOnlyFromANode(String peer, String forwardedFor, boolean fromNode, String client) {
        assertEquals(client, ClusterForwarding.client(peer, forwardedFor, fromNode));
    }
}
