package tv.latent.storage;

import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.testing.PostgresServer;
import tv.latent.testing.SlowTest;

/** The storage contract on PostgreSQL (Debian's, started by the test), a fresh database per test. */
@SlowTest
class PostgresStorageTest extends StorageContract {
    @Override
    protected Database open(DataLayout layout) throws Exception {
        return Database.open(PostgresServer.shared().newDatabase());
    }
}
