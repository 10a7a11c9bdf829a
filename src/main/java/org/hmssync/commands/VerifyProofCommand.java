package org.hmssync.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.hmssync.config.HubJson;
import org.hmssync.ledger.Ed25519Keys;
import org.hmssync.ledger.EventProofs;

/**
 * {@code verify-proof proof.json public.pem}: checks an event proof ({@code GET /events/{id}/proof},
 * saved as served) offline: its signature with the hub's public key, and that its ledger lines fold to
 * the status and system states it claims. Exit 0 saying what it proves, 1 saying why not.
 */
final class VerifyProofCommand implements HubCommand {

    @Override
    public String usage() {
        return "verify-proof proof.json public.pem: checks a signed event proof (GET /events/{id}/proof) offline";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.size() != 2) {
            err.println("usage: " + usage());
            return 2;
        }
        String text;
        PublicKey key;
        try {
            text = Files.readString(Path.of(args.get(0)), StandardCharsets.UTF_8);
            key = Ed25519Keys.publicKey(Path.of(args.get(1)));
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return 2;
        }
        EventProofs.Verified proof;
        try {
            proof = EventProofs.verify(text, key, HubJson.mapper());
        } catch (EventProofs.InvalidProof e) {
            out.println(args.get(0) + " does not verify: " + e.getMessage());   // the verdict, like the one that verifies
            return 1;
        }
        out.println(args.get(0) + " verifies: event " + proof.eventId() + " ended " + proof.status() + " " + proof.systems());
        out.println(proof.seqs().size() + " ledger lines (seq " + proof.seqs() + "), chain head seq " + proof.head().seq() + " hash "
                + proof.head().hash() + ", signed at " + proof.signedAt());
        out.println("check those lines and the head against the ledger or a head published elsewhere: verify-ledger --head "
                + proof.head().seq() + ":" + proof.head().hash());
        return 0;
    }
}
