package tv.latent.backend.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a backend's files may be fetched from: the backend's own origin (scheme, host and port of
 * its URL), and the hosts its configuration allows ({@code allowDownloadsFrom}). Anything else a
 * model server names (a file URL on another host, a redirect there) is refused, so a hostile or
 * broken server cannot send the station to a cloud metadata address, an admin port or another
 * service on its network.
 *
 * <p>Addresses are checked too: the host name is resolved and every address it has must be a
 * public one. Loopback, link-local, private (RFC 1918, unique-local IPv6), shared (100.64/10),
 * unspecified and multicast addresses are refused, unless the backend's own URL is itself such an
 * address (a model server on the same machine or network: then its neighbours are no less
 * trusted). The HTTP client resolves the name again when it connects, within moments, and gets
 * the answer checked here from the JVM's address cache (positive answers are kept 30 s by
 * default), so a name that answers a public address first and a private one next (DNS rebinding)
 * still reaches only an address that passed.
 *
 * <pre>{@code
 * DownloadPolicy policy = DownloadPolicy.of(URI.create("https://owner-app.hf.space"), List.of("cdn.example.com"));
 * Optional<String> why = policy.refusal(URI.create("http://169.254.169.254/latest/meta-data/"));
 * // "169.254.169.254 is neither the backend's own origin (https://owner-app.hf.space:443) nor allowed ..."
 * }</pre>
 *
 * <p>Allowed hosts are names or address literals, {@code host} (any port) or {@code host:port},
 * or {@code *.domain} for every name under a domain. Immutable and thread-safe.
 */
public final class DownloadPolicy {
    private static final Pattern HOST_NAME =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Resolves a host name to its addresses; the JDK's resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** One allowed host: a name, a {@code *.domain} pattern or an address literal, any port or one. */
    private record Allowed(String host, int port) {
        boolean matches(String otherHost, int otherPort) {
            if (port >= 0 && port != otherPort) {
                return false;
            }
            return host.startsWith("*.") ? otherHost.endsWith(host.substring(1)) : host.equals(otherHost);
        }
    }

    private final URI own;
    private final String ownOrigin;
    private final List<Allowed> allowed;
    private final Resolver resolver;

    private DownloadPolicy(URI own, List<Allowed> allowed, Resolver resolver) {
        this.own = own;
        this.ownOrigin = TrustedOrigins.origin(own);
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /**
     * The policy of a backend at {@code own} that also allows {@code allowedHosts}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a host, {@code
     *     host:port} or {@code *.domain}
     */
    public static DownloadPolicy of(URI own, Collection<String> allowedHosts) {
        return of(own, allowedHosts, InetAddress::getAllByName);
    }

    /** As {@link #of(URI, Collection)}, resolving names with {@code resolver} (tests). */
    public static DownloadPolicy of(URI own, Collection<String> allowedHosts, Resolver resolver) {
        List<Allowed> allowed = new ArrayList<>();
        for (String entry : allowedHosts) {
            allowed.add(parse(entry));
        }
        return new DownloadPolicy(own, allowed, resolver);
    }

    /**
     * Checks one entry of {@code allowDownloadsFrom}; for the configuration loader.
     *
     * @return what is wrong with it, or empty when it is usable
     */
    public static Optional<String> problem(String entry) {
        try {
            parse(entry);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Allowed parse(String entry) {
        String text = entry == null ? "" : entry.strip().toLowerCase(Locale.ROOT);
        String host = text;
        int port = -1;
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("'" + entry + "' has no valid port (1-65535 after the ':')");
            }
        } else if (text.startsWith("[") && text.endsWith("]")) {
            host = text;
        }
        boolean literal = IPV4.matcher(host).matches() || host.startsWith("[") && host.endsWith("]");
        if (!literal && !HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException(
                    "'" + entry + "' is not a host name, host:port, *.domain or address (no scheme, path or spaces)");
        }
        return new Allowed(host, port);
    }

    /**
     * Why {@code uri} may not be fetched, or empty when it may. Resolves the host name (a blocking
     * lookup).
     */
    public Optional<String> refusal(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!scheme.equals("http") && !scheme.equals("https") || host == null) {
            return Optional.of("refused a non-HTTP URL (scheme '" + scheme + "')");
        }
        String origin = TrustedOrigins.origin(uri);
        if (origin.equals(ownOrigin)) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (allowed.stream().noneMatch(a -> a.matches(name, port))) {
            return Optional.of("refused to download from " + origin + ": it is neither the backend's own origin ("
                    + ownOrigin + ") nor a host its allowDownloadsFrom lists");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare(host));
        } catch (UnknownHostException e) {
            return Optional.of("refused to download from " + origin + ": its name does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && !ownIsLocal()) {
                return Optional.of("refused to download from " + origin + ": it resolves to "
                        + address.getHostAddress() + ", a loopback, link-local or private address, and the backend "
                        + "itself is not on one");
            }
        }
        return Optional.empty();
    }

    private boolean ownIsLocal() {
        try {
            for (InetAddress address : resolver.resolve(bare(own.getHost()))) {
                if (!isPublic(address)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            // a backend whose name does not resolve now counts as public: the stricter choice
        }
        return false;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Whether {@code address} is an ordinary public one: not loopback, link-local, private,
     * shared (carrier-grade NAT), unspecified, multicast or broadcast.
     */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // shared address space
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean v4Compatible = true;
            for (int i = 0; i < 12; i++) {
                v4Compatible &= b[i] == 0;
            }
            if (v4Compatible) {
                return false; // ::/96, ::1 and :: included: never a public destination
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "DownloadPolicy[" + ownOrigin + ", allowed "
                + allowed.stream()
                        .map(a -> a.host() + (a.port() < 0 ? "" : ":" + a.port()))
                        .toList() + "]";
    }
}
