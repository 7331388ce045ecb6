package dev.berth.web.security;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's public URL ({@code berth.public-url}, e.g. {@code https://tools.example.com/berth}): the
 * origin browsers load it from (scheme, host, port) and the path it is served under.
 */
public record PublicUrl(String scheme, String host, int port, String path) {

    /** Parses {@code value}; empty for null or blank, an error naming the key for anything but an http(s) URL. */
    public static Optional<PublicUrl> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        URI u;
        try {
            u = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw invalid(value);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw invalid(value);
        }
        String path = u.getPath() == null ? "" : u.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return Optional.of(new PublicUrl(scheme, u.getHost().toLowerCase(Locale.ROOT), port(scheme, u.getPort()), path));
    }

    /** Whether a browser's {@code Origin} header names exactly this URL's scheme, host and port. */
    public boolean matchesOrigin(String origin) {
        if (origin == null) {
            return false;
        }
        try {
            URI o = URI.create(origin.strip());
            String s = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            return s.equals(scheme) && o.getHost() != null && o.getHost().equalsIgnoreCase(host)
                    && port(s, o.getPort()) == port;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The origin, e.g. {@code https://tools.example.com} (the port only when it is not the scheme's default). */
    public String origin() {
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + h + (defaultPort ? "" : ":" + port);
    }

    /** The WebSocket origin of the same server ({@code wss://...} for https). */
    public String webSocketOrigin() {
        return (scheme.equals("https") ? "wss" : "ws") + origin().substring(scheme.length());
    }

    private static int port(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return "https".equals(scheme) ? 443 : 80;
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("berth.public-url must be the console's http(s) URL as browsers open it, "
                + "e.g. https://berth.example.com or https://tools.example.com/berth; got '" + value + "'");
    }
}
