package dev.cdds.operator.exporter.files;

import dev.cdds.operator.storage.Manifest;
import java.io.IOException;
import java.io.OutputStream;

/** How each file of a run reaches its store: as written, or encrypted ({@link CmsEnvelope}). */
public interface FileEnvelope {
  FileEnvelope NONE =
      new FileEnvelope() {
        @Override
        public String suffix() {
          return "";
        }

        @Override
        public int margin() {
          return 0;
        }

        @Override
        public OutputStream open(OutputStream stored) {
          return stored;
        }

        @Override
        public Manifest.Encryption describe() {
          return null;
        }
      };

  /** Appended to each file's name ({@code .p7m} for CMS). */
  String suffix();

  /** Most bytes the envelope may hold back, plus its header and trailer, for split sizes. */
  int margin();

  /** A stream whose bytes reach {@code stored} enveloped; closing it closes {@code stored}. */
  OutputStream open(OutputStream stored) throws IOException;

  /** What the manifest says about the encryption, or null for none. */
  Manifest.Encryption describe();
}
