package org.hmssync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test (cluster mode), on HMS_TEST_POSTGRES_URL (a JDBC URL to a
 * database the tests may create databases from), else the machine's PostgreSQL on 127.0.0.1:5432 as
 * user postgres. No database is a failure, never a skip. Dropped afterwards.
 */
public final class TestDatabase implements AutoCloseable {

    private final String admin;
    private final String name;
    private final String url;

    private TestDatabase(String admin, String name, String url) {
        this.admin = admin;
        this.name = name;
        this.url = url;
    }

    public static TestDatabase create() throws Exception {
        String configured = System.getenv("HMS_TEST_POSTGRES_URL");
        String admin = configured != null && !configured.isBlank() ? configured : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        String name = "hms_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("no PostgreSQL for the cluster tests at " + admin.replaceAll("\\?.*", "")
                    + " (start it, or set HMS_TEST_POSTGRES_URL): " + e.getMessage(), e);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?');
        String url = admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
        return new TestDatabase(admin, name, url);
    }

    /** The JDBC URL of this test's database (HMS_LEDGER_URL). */
    public String url() {
        return url;
    }

    /** The rows of one column of a query, as text. */
    public List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    public void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
