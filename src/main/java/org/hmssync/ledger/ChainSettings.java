package org.hmssync.ledger;

import java.security.PrivateKey;

/**
 * How the ledger treats its hash chain: {@code acceptBroken} starts on a chain that does not verify
 * (said loudly; the next line links to the last one as it stands), {@code signingKey} signs each
 * checkpoint's head (null: unsigned).
 */
public record ChainSettings(boolean acceptBroken, PrivateKey signingKey) {

    public static final ChainSettings STRICT = new ChainSettings(false, null);

    @Override
    public String toString() {
        return "ChainSettings[acceptBroken=" + acceptBroken + ", signed=" + (signingKey != null) + "]";   // never the key
    }
}
