package org.hmssync.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What someone with write access to the file and no signing key can do: insert a line and redo every hash after it. */
final class Forger {

    private Forger() {
    }

    /**
     * {@code forged} inserted at index {@code at}, every line from there linked again with the
     * chain's own rule, checkpoints naming the head the forger computed (their signatures kept).
     */
    static List<String> relinked(List<String> lines, int at, String forged) {
        List<String> out = new ArrayList<>(lines.subList(0, at));
        LedgerChain chain = new LedgerChain(at == 0 ? LedgerHead.GENESIS : head(lines.get(at - 1)));
        List<String> rest = new ArrayList<>(lines.subList(at, lines.size()));
        rest.add(0, forged);
        for (String line : rest) {
            LedgerChain.Link link = LedgerChain.Link.of(line);
            String content = link == null ? line : link.unhashed().substring(0, link.unhashed().lastIndexOf(",\"seq\":")) + "}";
            content = content.replaceAll("\"head\":\\{\"seq\":[0-9]+,\"hash\":\"[0-9a-f]{64}\"",
                    "\"head\":{\"seq\":" + chain.seq() + ",\"hash\":\"" + chain.hash() + "\"");
            out.add(new String(chain.link(content.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static LedgerHead head(String line) {
        LedgerChain.Link link = LedgerChain.Link.of(line);
        return new LedgerHead(link.seq(), link.hash(), null);
    }
}
