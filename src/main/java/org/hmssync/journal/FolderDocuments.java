package org.hmssync.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Documents as {@code <id>.json} files, written through a forced temporary file and renamed over ({@link DurableFiles}). */
public final class FolderDocuments implements Documents {

    private static final String SUFFIX = ".json";
    private final Path folder;

    public FolderDocuments(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    @Override
    public String name() {
        return folder.toString();
    }

    /** A file that cannot be read is reported to {@code visitor} with a null body and left in place. */
    @Override
    public void forEach(BiConsumer<String, byte[]> visitor) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                visitor.accept(name.substring(0, name.length() - SUFFIX.length()), Files.readAllBytes(file));
            }
        }
    }

    @Override
    public void put(String id, byte[] body) throws IOException {
        DurableFiles.write(folder, id + SUFFIX, body);
    }

    @Override
    public void remove(String id) throws IOException {
        Files.deleteIfExists(folder.resolve(id + SUFFIX));
    }
}
