package org.hmssync.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read as its stages' instructions (continuation lines joined, comments dropped). */
public final class Dockerfile {

    /** One instruction: its keyword in upper case and the rest of the line. */
    public record Instruction(String keyword, String arguments) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    private final List<List<Instruction>> stages;

    private Dockerfile(List<List<Instruction>> stages) {
        this.stages = stages;
    }

    public static Dockerfile read(Path file) throws IOException {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String text = raw.strip();
            if (text.startsWith("#") || (text.isEmpty() && line.length() == 0)) {
                continue;
            }
            if (text.endsWith("\\")) {
                line.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            line.append(text);
            String[] parts = line.toString().strip().split("\\s+", 2);
            line.setLength(0);
            Instruction instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            stages.get(stages.size() - 1).add(instruction);
        }
        return new Dockerfile(stages);
    }

    /** The last stage: what the image runs. */
    public List<Instruction> runtimeStage() {
        return stages.get(stages.size() - 1);
    }

    public List<String> runtime(String keyword) {
        return runtimeStage().stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The ENV values of the runtime stage, quotes removed. */
    public Map<String, String> runtimeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : runtime("ENV")) {
            Matcher pair = ENV_PAIR.matcher(arguments);
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }
}
