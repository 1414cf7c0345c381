package io.kubeactor.common;

/**
 * Marker for messages and persisted events: bound to Pekko's jackson-cbor serializer in
 * application.conf, so nothing relies on Java serialization.
 */
public interface CborSerializable {}
