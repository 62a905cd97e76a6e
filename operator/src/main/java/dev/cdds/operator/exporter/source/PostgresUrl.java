package dev.cdds.operator.exporter.source;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The source Secret's url as the JDBC driver takes it. A libpq-style URL ({@code
 * postgresql://app:S3cret@db:5432/app?sslmode=require}, the form CloudNativePG's {@code uri} key
 * has) becomes {@code jdbc:postgresql://db:5432/app?sslmode=require}: its user info is dropped, the
 * Secret's user and password keys say who logs in, and no message can echo it.
 */
final class PostgresUrl {
  private PostgresUrl() {}

  static String jdbc(String url) {
    if (url == null || !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      return url;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the source Secret's url is not a valid postgresql:// URL (" + e.getReason() + ")");
    }
    if (uri.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "the source Secret's url names no host: use postgresql://host:5432/database");
    }
    String authority = uri.getRawAuthority();
    String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
    return "jdbc:postgresql://"
        + hostAndPort
        + (uri.getRawPath() == null ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
