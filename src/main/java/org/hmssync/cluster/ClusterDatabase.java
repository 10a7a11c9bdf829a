package org.hmssync.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared PostgreSQL database: a HikariCP pool, and the schema brought up to date by Flyway before anything uses it. */
public final class ClusterDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDatabase.class);

    private ClusterDatabase() {
    }

    public static HikariDataSource open(ClusterSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.ledgerUrl());
        config.setPoolName("hms-ledger-" + settings.instanceId());
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "hms-sync-pool-" + settings.instanceId());
        settings.poolSessionOptions().ifPresent(options -> config.addDataSourceProperty("options", options));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            LOG.info("cluster ledger {}: schema at version {} ({} migration(s) applied now)", settings.redactedUrl(),
                    result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }
}
