package io.splicelab.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks a gateway URL given on the command line before anything is sent, so a slip ({@code 127.0.0.1:8080}
 * without {@code http://}, a port that is no number, a query) is an error that says what is wrong and what to write
 * instead, not the HTTP client's message. Accepted: {@code http} or {@code https}, a host, an optional port
 * 1-65535 and an optional path (a gateway behind a proxy); no user info, query or fragment.
 */
public final class GatewayUrl {
    private GatewayUrl() {
    }

    /** The URL without trailing slashes; an {@link IllegalArgumentException} saying what is wrong otherwise. */
    public static String check(String url) {
        if (url == null || url.isBlank()) {
            throw bad("the gateway URL is empty: give it as http://HOST:PORT, e.g. " + Main.DEFAULT_GATEWAY);
        }
        String u = url.strip();
        if (u.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw bad("the gateway URL '" + u + "' has a space or a control character in it");
        }
        int scheme = u.indexOf("://");
        java.util.regex.Matcher slashes = java.util.regex.Pattern.compile("(?i)^(https?):/*").matcher(u);
        if (scheme < 0 && slashes.find()) {
            throw bad("the gateway URL '" + u + "' needs two slashes after the scheme: write "
                    + slashes.group(1).toLowerCase(Locale.ROOT) + "://" + stripSlashes(u.substring(slashes.end())));
        }
        if (scheme < 0) {
            throw bad("the gateway URL '" + u + "' has no scheme: write http://" + stripSlashes(u)
                    + " (or https://...)");
        }
        String s = u.substring(0, scheme).toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw bad("the gateway URL '" + u + "' has the scheme '" + u.substring(0, scheme) + "': only http:// and "
                    + "https:// are supported");
        }
        String rest = u.substring(scheme + 3);
        if (rest.isEmpty() || rest.startsWith("/")) {
            throw bad("the gateway URL '" + u + "' names no host: write e.g. " + s + "://127.0.0.1:8080");
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw bad("the gateway URL '" + u + "' is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw bad("the gateway URL '" + u + "' names no host: write e.g. " + s + "://127.0.0.1:8080");
        }
        if (uri.getRawUserInfo() != null || authority.contains("@")) {
            throw bad("the gateway URL '" + u + "' carries user info (user@host); give the host only (the API "
                    + "token goes in SPLICELAB_API_TOKEN)");
        }
        if (uri.getHost() == null) {
            // java.net.URI keeps an authority it cannot read as host:port as "registry based": say which part is off
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && !authority.endsWith("]") && authority.indexOf(':') == colon) {
                String port = authority.substring(colon + 1);
                if (colon == 0) {
                    throw bad("the gateway URL '" + u + "' names no host before the port");
                }
                if (!port.matches("\\d+")) {
                    throw bad("the gateway URL '" + u + "' has the port '" + port + "': a port is a number from 1 "
                            + "to 65535");
                }
            }
            throw bad("the gateway URL '" + u + "' has no valid host name in '" + authority + "'");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535 || (port < 0 && authority.endsWith(":"))) {
            throw bad("the gateway URL '" + u + "' has the port '" + authority.substring(authority.lastIndexOf(':') + 1)
                    + "': a port is a number from 1 to 65535");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad("the gateway URL '" + u + "' has a query or fragment (?... or #...): give only "
                    + s + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        }
        return stripSlashes(u);
    }

    private static String stripSlashes(String u) {
        String s = u;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException(message);
    }

    /** picocli's converter of {@code --gateway}: a bad URL is a usage error naming the option. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return check(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
