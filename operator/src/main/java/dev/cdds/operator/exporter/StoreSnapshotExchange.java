package dev.cdds.operator.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.SharedSnapshot;
import dev.cdds.operator.storage.RunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * The pods of a partitioned run outside a cluster ({@code export --progress log}) agree through the
 * run's folder: the first partition writes {@code partition-snapshot.json} there, the others read
 * it. The folder is the one place such pods share; what they read there is checked as any byte of
 * storage is (the id's form, the bounds' times).
 */
public final class StoreSnapshotExchange implements SnapshotExchange {
  static final String FILE = Partition.RESULT_PREFIX + "snapshot.json";
  private static final int MAX_BYTES = 64 << 10;
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final RunStore store;

  public StoreSnapshotExchange(RunStore store) {
    this.store = store;
  }

  @Override
  public Optional<SharedSnapshot> shared() {
    try (InputStream in = store.open(FILE)) {
      byte[] json = in.readNBytes(MAX_BYTES + 1);
      if (json.length > MAX_BYTES) {
        throw new IllegalStateException(FILE + " is larger than a shared snapshot can be");
      }
      return Optional.of(JSON.readValue(json, SharedSnapshot.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(FILE + " is not a shared snapshot", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + FILE, e);
    }
  }

  @Override
  public void share(SharedSnapshot snapshot) {
    try {
      store.write(FILE, JSON.writeValueAsBytes(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + FILE, e);
    }
  }
}
