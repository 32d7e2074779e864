package io.gitwar.service.hooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may point, so that gitwar is no open relay into the network it runs in: http or
 * https only, and by default no loopback, link-local (169.254.0.0/16 with the clouds' metadata
 * address 169.254.169.254, fe80::/10), unspecified (0.0.0.0/8, ::) or multicast address, whether
 * written in the URL or what its host name resolves to. An operator allows such hosts explicitly
 * ({@code gitwar.hooks.allowed-hosts}: host names as written in URLs, addresses, CIDR ranges such as
 * {@code 127.0.0.0/8}). Checked when a hook is created or changed, and again before every delivery
 * (a name may resolve elsewhere by then). A pure decision over a resolver; thread-safe.
 */
public final class HookGuard {

    /** The longest hook URL taken (browsers and proxies commonly handle 2 KiB). */
    public static final int MAX_URL_LENGTH = 2048;

    /** Resolves a host name to its addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowed;
    private final Resolver resolver;

    public HookGuard(List<String> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** Why a hook may not point at {@code url}, or null if it may. */
    public String refusal(String url) {
        if (url == null || url.isBlank()) {
            return "a hook needs a url";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "the url is longer than " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "a hook url must be http or https, not " + (scheme.isEmpty() ? "relative" : scheme);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "the url has no host";
        }
        host = host.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowed.contains(host) || allowed.contains(bare)) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return "cannot resolve " + bare;
        }
        for (InetAddress a : addresses) {
            String kind = forbidden(a);
            if (kind != null && !allowedAddress(a)) {
                return bare + (bare.equals(a.getHostAddress()) ? "" : " resolves to " + a.getHostAddress()) + ", a "
                        + kind + " address; hooks may point there only if " + io.gitwar.config.HooksConfig.ALLOWED_HOSTS
                        + " allows it";
            }
        }
        return null;
    }

    /** What kind of address hooks may not reach by default, or null. */
    static String forbidden(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isAnyLocalAddress() || (a.getAddress().length == 4 && a.getAddress()[0] == 0)) {
            return "unspecified";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        return null;
    }

    private boolean allowedAddress(InetAddress a) {
        for (String entry : allowed) {
            if (matches(entry, a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code entry} (an address or a CIDR range; host names never match here) covers {@code a}. */
    static boolean matches(String entry, InetAddress a) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        if (!isAddressLiteral(address)) {
            return false;
        }
        byte[] range;
        try {
            range = InetAddress.getByName(address).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] b = a.getAddress();
        if (range.length != b.length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? b.length * 8 : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > b.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((range[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAddressLiteral(String s) {
        return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
