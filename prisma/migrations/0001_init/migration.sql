-- CreateTable
CREATE TABLE "Room" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "heartbeatIntervalMs" INTEGER NOT NULL,
    "heartbeatTimeoutMs" INTEGER NOT NULL,
    "maxQueueLength" INTEGER NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'fifo',
    "protectedPaths" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoomCounters" (
    "roomId" TEXT NOT NULL PRIMARY KEY,
    "nextSeq" INTEGER NOT NULL DEFAULT 1,
    "nextAdmission" INTEGER NOT NULL DEFAULT 1,
    "arrivedTotal" INTEGER NOT NULL DEFAULT 0,
    "admittedTotal" INTEGER NOT NULL DEFAULT 0,
    "expiredTotal" INTEGER NOT NULL DEFAULT 0,
    "leftTotal" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "RoomCounters_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QueueEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "initialAhead" INTEGER NOT NULL,
    "enteredAt" DATETIME NOT NULL,
    "admittedAt" DATETIME,
    "admissionNo" INTEGER,
    CONSTRAINT "QueueEntry_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "QueueEntry_roomId_state_idx" ON "QueueEntry"("roomId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "QueueEntry_roomId_seq_key" ON "QueueEntry"("roomId", "seq");
