package org.hmssync.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator console's static files, from the jar's {@code META-INF/resources} and nowhere else:
 * a plain file name directly under it, so no request reaches the working folder (the data, the
 * configuration with its tokens) or climbs out with {@code ..}.
 */
public final class ConsoleFiles {

    /** A console file as served: its bytes and their media type. */
    public record File(byte[] bytes, String contentType) { }

    private static final String ROOT = "META-INF/resources/";
    private static final Pattern NAME = Pattern.compile("/([A-Za-z0-9_-]+\\.(html|js|css|png|svg|ico))");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    private final ClassLoader loader;

    public ConsoleFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file a request path names ({@code /} is {@code index.html}); empty when there is none. */
    public Optional<File> find(String path) {
        Matcher m = NAME.matcher("/".equals(path) ? "/index.html" : path);
        if (!m.matches()) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + m.group(1))) {
            return in == null ? Optional.empty() : Optional.of(new File(in.readAllBytes(), TYPES.get(m.group(2))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
