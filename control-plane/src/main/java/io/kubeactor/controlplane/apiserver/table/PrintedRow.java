package io.kubeactor.controlplane.apiserver.table;

import io.kubeactor.controlplane.apiserver.table.TablePrinter.RowCondition;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * One object's row as its printer made it, kept with the stored object (it is a pure function of
 * it) so that a LIST neither parses nor prints the objects that did not change since the last one.
 *
 * @param cells the cells, clock-reading ones as {@link TimedCell}s printed when the table is written
 * @param metadata the object's metadata as its JSON bytes, for the rows' PartialObjectMetadata
 */
record PrintedRow(List<Object> cells, List<RowCondition> conditions, ByteString metadata) {}
