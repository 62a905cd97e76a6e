package dev.cdds.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;

/**
 * Deterministic sample data for tests, benchmarks and the sandbox: the same rows for the same seed.
 * A realistic media-type mix over months, text with unicode, quotes, commas and line breaks, nulls,
 * and some large jsonb documents. Loaded with COPY.
 */
public final class SampleData {
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  public static final Duration SPREAD = Duration.ofDays(180);
  static final String[] MEDIA = {
    "voice", "voice", "voice", "voice", "email", "email", "email", "chat", "chat", "sms", "workitem"
  };
  static final String[] ENTITIES = {"workitem", "workitem", "case", "task"};
  private static final String[] SUBJECTS = {
    "Billing question",
    "Größe der Lieferung – ação ✓",
    "He said \"call me back\", twice",
    "Line one\nline two",
    "注文番号 12345",
    "Ünïcødé, commas; and \"quotes\"",
    "Refund",
    "Réclamation: colis endommagé",
    "",
    "Tab\tseparated"
  };
  private static final int BATCH = 5_000;

  /** Attachments are large: a batch is also sent once it holds this much text. */
  private static final int BATCH_CHARS = 8 << 20;

  private final SplittableRandom random;

  private SampleData(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * Creates the tables if needed, empties them, and loads {@code rows} interactions and events,
   * {@code rows / 4} contacts and {@code rows / 200} attachments.
   */
  public static void load(Connection db, long rows, long seed) throws SQLException, IOException {
    try (InputStream schema = SampleData.class.getResourceAsStream("schema.sql")) {
      db.createStatement().execute(new String(schema.readAllBytes(), StandardCharsets.UTF_8));
    }
    db.createStatement().execute("TRUNCATE attachments, interactions, contacts, events");
    var data = new SampleData(seed);
    long contacts = Math.max(1, rows / 4);
    data.copy(db, "contacts", contacts, data::contact);
    data.copy(db, "interactions", rows, (id, csv) -> data.interaction(id, contacts, csv));
    data.copy(db, "events", rows, data::event);
    data.copy(db, "attachments", rows / 200, (id, csv) -> data.attachment(id, rows, csv));
    // This backend reports the rows it wrote when it next flushes its statistics, which would be
    // after ANALYZE: every row would count as changed since, as if the tables had never been
    // analyzed.
    db.createStatement().execute("SELECT pg_stat_force_next_flush()");
    db.createStatement().execute("ANALYZE");
  }

  private interface Row {
    void append(long id, StringBuilder csv);
  }

  private void copy(Connection db, String table, long rows, Row row)
      throws SQLException, IOException {
    var copy = db.unwrap(PGConnection.class).getCopyAPI();
    var csv = new StringBuilder();
    for (long id = 1; id <= rows; id++) {
      row.append(id, csv);
      if (id % BATCH == 0 || id == rows || csv.length() > BATCH_CHARS) {
        copy.copyIn(
            "COPY " + table + " FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        csv.setLength(0);
      }
    }
  }

  private void contact(long id, StringBuilder csv) {
    Instant created = time();
    fields(
        csv,
        id,
        maybe("Ann", "Łukasz", "O'Brien", "Zoë", "José María"),
        maybe("Smith", "Müller", "García, Jr.", "Nguyễn", null),
        "{\"c" + id + "@example.com\"}",
        random.nextInt(4) == 0 ? "{}" : "{\"+1-555-" + (1000 + random.nextInt(9000)) + "\"}",
        1 + random.nextInt(3),
        created,
        created.plusSeconds(random.nextInt(86_400 * 30)),
        "{\"segment\": \""
            + pick("gold", "silver", "bronze")
            + "\", \"optIn\": "
            + random.nextBoolean()
            + "}");
  }

  private void interaction(long id, long contacts, StringBuilder csv) {
    Instant started = time();
    boolean large = random.nextInt(100) == 0;
    fields(
        csv,
        id,
        1 + random.nextLong(contacts),
        MEDIA[random.nextInt(MEDIA.length)],
        pick("inbound", "outbound"),
        pick("completed", "completed", "completed", "abandoned", "transferred"),
        random.nextInt(10) == 0 ? null : SUBJECTS[random.nextInt(SUBJECTS.length)],
        maybe("sales", "support", "billing", "vip"),
        maybe("agent-" + random.nextInt(200)),
        started,
        random.nextInt(20) == 0 ? null : started.plusSeconds(30 + random.nextInt(3600)),
        1 + random.nextInt(3),
        attributes(large));
  }

  private void event(long id, StringBuilder csv) {
    fields(
        csv,
        id,
        ENTITIES[random.nextInt(ENTITIES.length)],
        pick("created", "assigned", "completed", "revoked"),
        random.nextInt(10) == 0 ? null : "wi-" + random.nextInt(1_000_000),
        time(),
        "{\"priority\": "
            + random.nextInt(5)
            + ", \"note\": \""
            + pick("ok", "line\\nbreak", "ünï")
            + "\"}");
  }

  /** A file of a few bytes to 16 KiB, one in a hundred of 1 MiB; random, so incompressible. */
  private void attachment(long id, long interactions, StringBuilder csv) {
    int size = random.nextInt(100) == 0 ? 1 << 20 : 1 + random.nextInt(16 * 1024);
    byte[] content = new byte[size];
    random.nextBytes(content);
    fields(
        csv,
        id,
        1 + random.nextLong(interactions),
        pick("invoice.pdf", "screenshot 1.png", "Vertrag, final \"v2\".docx", "写真.jpg"),
        pick("application/pdf", "image/png", "application/octet-stream", "image/jpeg"),
        size,
        "\\x" + HexFormat.of().formatHex(content));
  }

  private String attributes(boolean large) {
    var json = new StringBuilder("{\"language\": \"").append(pick("en", "de", "fr", "ja"));
    json.append("\", \"tags\": [\"a\", \"b\"], \"nested\": {\"depth\": {\"level\": 3}}");
    if (large) {
      json.append(", \"transcript\": \"").append("lorem ipsum ".repeat(400)).append('"');
    }
    return json.append('}').toString();
  }

  private Instant time() {
    return EPOCH.plusSeconds(random.nextLong(SPREAD.toSeconds()));
  }

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }

  private String maybe(String... values) {
    return random.nextInt(10) == 0 ? null : pick(values);
  }

  /** One CSV line for COPY: null is an unquoted empty field, everything else is quoted. */
  private static void fields(StringBuilder csv, Object... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        csv.append(',');
      }
      if (values[i] != null) {
        csv.append('"').append(values[i].toString().replace("\"", "\"\"")).append('"');
      }
    }
    csv.append('\n');
  }
}
