package dev.cdds.operator.storage;

import java.io.OutputStream;

/** A file being written to a {@link RunStore}: {@link #close()} keeps it, {@link #abort()} not. */
public abstract class StoreOutput extends OutputStream {
  /** Gives up the file: nothing of it is left in the store. Never throws. */
  public abstract void abort();
}
