package tv.latent.storage;

import tv.latent.library.DataLayout;
import tv.latent.library.Database;

/** The storage contract on SQLite, the default: one file in the data directory. */
class SqliteStorageTest extends StorageContract {
    @Override
    protected Database open(DataLayout layout) throws Exception {
        return Database.open(layout.database());
    }
}
