package org.hmssync.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A copy of the repository's {@code routes/} folder, for a test that edits or breaks route files as an engineer would. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /** Copies {@code routes/} to {@code target} and returns it. */
    public static Path copyTo(Path target) throws IOException {
        Path source = Path.of("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : files.sorted(Comparator.naturalOrder()).toList()) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        return target;
    }
}
