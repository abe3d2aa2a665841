import { runQueueStoreContract } from "@/server/store/queue-store.contract";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

runQueueStoreContract("SQLite (Prisma)", async () => SqliteQueueStore.open(tempDatabaseUrl()));
