package io.splicelab.edge.deadletter;

/**
 * Where a consumer sends what it gives up on. {@link DeadLetterPublisher} is the one implementation on Kafka;
 * the interface lets the consumer rule be tested without a broker.
 */
public interface DeadLetterSink {
    /**
     * Sends the dead letter and returns once it is stored (the broker acknowledged it).
     *
     * @throws RuntimeException when it could not be stored: the caller must then not acknowledge the record
     */
    void send(DeadLetter letter);
}
