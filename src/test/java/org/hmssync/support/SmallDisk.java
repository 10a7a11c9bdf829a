package org.hmssync.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system (tmpfs) that a test fills, frees, or makes read-only, to see what the
 * hub does on a full or read-only disk. Mounting needs root, as CI and the developers' machines
 * have; without it the test fails saying so, never skips.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve(".filler");
    }

    public static SmallDisk mount(Path at, int kib) throws Exception {
        Files.createDirectories(at);
        run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", at.toString());
        return new SmallDisk(at);
    }

    public Path root() {
        return root;
    }

    /** Takes every free block: the next write that needs one fails with "No space left on device". */
    public void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space")) {
                throw full;
            }
        }
    }

    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    public void readOnly() throws Exception {
        run("mount", "-o", "remount,ro", root.toString());
    }

    public void writable() throws Exception {
        run("mount", "-o", "remount,rw", root.toString());
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", root.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (a small tmpfs needs root): " + out);
        }
    }
}
