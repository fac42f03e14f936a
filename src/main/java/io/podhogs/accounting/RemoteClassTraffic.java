package io.podhogs.accounting;

/** An account's traffic with one remote class: cumulative, and its rates over the ledger's window. */
public record RemoteClassTraffic(Traffic total, double sentRate, double receivedRate) {
    public static final RemoteClassTraffic NONE = new RemoteClassTraffic(Traffic.NONE, 0, 0);

    public RemoteClassTraffic plus(RemoteClassTraffic o) {
        return new RemoteClassTraffic(total.plus(o.total), sentRate + o.sentRate, receivedRate + o.receivedRate);
    }
}
