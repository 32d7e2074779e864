package io.gitwar.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Builds raw smart-protocol request bodies, for tests that speak to the server without a client. */
public final class Pkt {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Pkt body() {
        return new Pkt();
    }

    public Pkt line(String payload) {
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(String.format("%04x", b.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        return this;
    }

    public Pkt flush() {
        out.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public Pkt raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public Pkt raw(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** A valid pack with no objects: header (version 2, count 0) and its SHA-1 trailer. */
    public static byte[] emptyPack() throws Exception {
        byte[] header = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0};
        byte[] sha = MessageDigest.getInstance("SHA-1").digest(header);
        byte[] pack = new byte[header.length + sha.length];
        System.arraycopy(header, 0, pack, 0, header.length);
        System.arraycopy(sha, 0, pack, header.length, sha.length);
        return pack;
    }
}
