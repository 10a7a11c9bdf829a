package org.hmssync.ledger;

/** The ledger on disk is not one the hub may append to: its hash chain is missing or broken. One line says what to do. */
public final class UntrustedLedgerException extends RuntimeException {

    public UntrustedLedgerException(String message) {
        super(message, null, false, false);
    }
}
